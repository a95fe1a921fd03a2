// returnFreedMemory gives freed pages back: resident memory falls after it, where glibc would keep it.
#include "FreedMemory.h"
#include "ProcStatus.h"

#include <QTest>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace moltdesk;

namespace {
// Resident set size in KiB (VmRSS).
qint64 residentKiB()
{
    return procStatusKiB("VmRSS");
}
} // namespace

class TestFreedMemory : public QObject
{
    Q_OBJECT
private slots:
    void givesFreedPagesBack()
    {
#ifndef __GLIBC__
        QSKIP("not checked: the C library is not glibc, where returnFreedMemory does nothing");
#endif
#if defined(__SANITIZE_ADDRESS__)
        // malloc/free are AddressSanitizer's there: freed blocks sit in its quarantine, not glibc's heap.
        QSKIP("not checked: under AddressSanitizer, whose allocator (not glibc's) holds freed memory");
#endif
        if (residentKiB() < 0)
            QSKIP("not checked: no /proc/self/status");
        // 64 MiB in blocks under the mmap threshold, every 32nd kept: the freed ones are holes in the
        // heap that free() never returns by itself (only the heap's top is trimmed on free).
        constexpr int kBlocks = 16384;
        constexpr size_t kBlock = 4000;
        std::vector<char *> blocks(kBlocks);
        for (char *&b : blocks) {
            b = static_cast<char *>(std::malloc(kBlock));
            std::memset(b, 1, kBlock);
        }
        const qint64 full = residentKiB();
        for (int i = 0; i < kBlocks; ++i)
            if (i % 32 != 31)
                std::free(blocks[size_t(i)]);
        const qint64 freed = residentKiB();
        returnFreedMemory();
        const qint64 returned = residentKiB();
        qInfo("resident: %lld KiB full, %lld KiB after free, %lld KiB after returnFreedMemory", full, freed,
              returned);
        QVERIFY2(freed - returned > 32 * 1024, "fewer than 32 MiB of the 62 MiB freed were given back");
        for (int i = 31; i < kBlocks; i += 32)
            std::free(blocks[size_t(i)]);
    }
};

QTEST_GUILESS_MAIN(TestFreedMemory)
#include "tst_freedmemory.moc"
