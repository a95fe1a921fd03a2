// libFuzzer target: profile JSON, including the workspace built from it.
#include "Workspace.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto p = moltdesk::Profile::parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), QStringLiteral("/tmp/fuzz/profile.json"));
    if (p.ok()) {
        p.value().wranglerPath.clear();  // never read files named by fuzz input
        (void)moltdesk::Workspace::fromProfile(p.value());
    }
    return 0;
}
