#include "ObjectInfo.h"

namespace moltdesk {

QByteArray ObjectInfo::md5FromEtag(const QByteArray &etag)
{
    QByteArray e = etag;
    if (e.startsWith('"') && e.endsWith('"') && e.size() >= 2)
        e = e.mid(1, e.size() - 2);
    if (e.size() != 32)
        return {};
    for (char c : std::as_const(e)) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return {};
    }
    for (char c : std::as_const(e)) {
        if (c >= 'A' && c <= 'F')
            return e.toLower();
    }
    return e; // shares the ETag's bytes: one string per listed object, not two
}

} // namespace moltdesk
