// libFuzzer target: .last-sync values from buckets and targets.
#include "LastSync.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto r = moltdesk::LastSync::parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (r.ok())
        (void)moltdesk::LastSync::format(r.value());
    return 0;
}
