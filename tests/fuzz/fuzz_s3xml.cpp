// libFuzzer target: S3 XML replies (listings, errors, multipart, copy and delete results), which come
// from a server we do not control. The first byte picks the parser so one corpus covers all of them.
#include "S3Xml.h"

#include <cstdint>

using namespace moltdesk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray body(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    switch (data[0] % 6) {
    case 0: {
        auto r = S3Xml::parseListV2(body);
        // A page that claims more must name where to continue (the parser's own promise).
        if (r.ok() && r.value().truncated && r.value().nextToken.isEmpty())
            __builtin_trap();
        break;
    }
    case 1: {
        S3Xml::ErrorReply e;
        (void)S3Xml::parseError(body, e);
        break;
    }
    case 2:
        (void)S3Xml::parseUploadId(body);
        break;
    case 3:
        (void)S3Xml::parseCopyResult(body);
        break;
    case 4:
        (void)S3Xml::parseCompleteMultipart(body);
        break;
    default: {
        auto r = S3Xml::parseDeleteResult(body);
        if (r.ok())
            (void)S3Xml::deleteRequest(r.value().deleted); // round trip through our own writer
        break;
    }
    }
    return 0;
}
