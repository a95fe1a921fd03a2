// libFuzzer target: .dev.vars (dotenv) parsing.
#include "DotEnv.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)moltdesk::DotEnv::parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    return 0;
}
