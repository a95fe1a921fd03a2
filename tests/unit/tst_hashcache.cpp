// HashCache holds a path as its MD5 and digests as raw bytes: lookups still answer only for the same
// path, size and nanosecond time, a saved cache reads back, and a cache in the old format (path and
// hex digests) is still read, so an upgrade costs no re-hashing.
#include "HashCache.h"

#include <QDataStream>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;

namespace {
const QByteArray kMd5 = "0123456789abcdef0123456789abcdef";
const QByteArray kSha = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
} // namespace

class TestHashCache : public QObject
{
    Q_OBJECT
private slots:
    void lookupNeedsSamePathSizeAndTime()
    {
        QTemporaryDir dir;
        HashCache c(dir.filePath(QStringLiteral("h")));
        c.store(QStringLiteral("/a/b"), {10, 123456789, kMd5, kSha});
        HashCache::Entry e;
        QVERIFY(c.lookup(QStringLiteral("/a/b"), 10, 123456789, e));
        QCOMPARE(e.md5, kMd5);
        QCOMPARE(e.sha256, kSha);
        QVERIFY(!c.lookup(QStringLiteral("/a/b"), 11, 123456789, e));
        QVERIFY(!c.lookup(QStringLiteral("/a/b"), 10, 123456788, e));
        QVERIFY(!c.lookup(QStringLiteral("/a/c"), 10, 123456789, e));
        c.store(QStringLiteral("/a/d"), {1, 1, "not hex", kSha}); // refused: nothing to remember
        QVERIFY(!c.lookup(QStringLiteral("/a/d"), 1, 1, e));
    }

    void savedCacheReadsBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h"));
        {
            HashCache c(path);
            c.store(QStringLiteral("/x/\u00e9"), {5, 7, kMd5, kSha});
            QVERIFY(c.save());
        }
        HashCache c(path);
        QVERIFY(c.load());
        QCOMPARE(c.size(), 1);
        HashCache::Entry e;
        QVERIFY(c.lookup(QStringLiteral("/x/\u00e9"), 5, 7, e));
        QCOMPARE(e.sha256, kSha);
    }

    void oldFormatStillRead()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QDataStream out(&f);
        out << quint32(0x4d444843) << quint32(1) << qint64(1) << QStringLiteral("/old/file") << qint64(3)
            << qint64(9) << kMd5 << kSha;
        f.close();
        HashCache c(path);
        QVERIFY(c.load());
        HashCache::Entry e;
        QVERIFY(c.lookup(QStringLiteral("/old/file"), 3, 9, e));
        QCOMPARE(e.md5, kMd5);
    }

    void damagedCacheIsIgnored()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("garbage");
        f.close();
        HashCache c(path);
        QVERIFY(!c.load());
        QCOMPARE(c.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHashCache)
#include "tst_hashcache.moc"
