// libFuzzer target: wrangler.jsonc parsing (comments, trailing commas, depth and size limits).
#include "WranglerConfig.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    auto r = moltdesk::WranglerConfig::parse(text, QStringLiteral("fuzz.jsonc"));
    if (r.ok())
        (void)r.value().environmentNames();
    return 0;
}
