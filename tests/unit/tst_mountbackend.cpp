#include "MountBackend.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace moltdesk;

class TestMountBackend : public QObject
{
    Q_OBJECT
private:
    static void writeFile(const QString &path, const QByteArray &data)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void roundTripKeepsTimesAndIsAtomic()
    {
        QTemporaryDir tmp;
        MountBackend b(QStringLiteral("moltbot-data-development"), tmp.filePath(QStringLiteral("bucket")));
        QCOMPARE(b.headBucket().result().error().kind, ErrorKind::NotFound);
        QDir().mkpath(tmp.filePath(QStringLiteral("bucket")));
        QVERIFY(b.headBucket().result().ok());

        const QString src = tmp.filePath(QStringLiteral("src.bin"));
        writeFile(src, QByteArray(100000, 'x'));
        const QDateTime when(QDate(2025, 1, 2), QTime(3, 4, 5, 678), Qt::UTC);
        {
            QFile f(src);
            f.open(QIODevice::ReadWrite);
            f.setFileTime(when, QFileDevice::FileModificationTime);
        }
        auto up = b.upload(QStringLiteral("clawdbot/a b/é.bin"), src).result();
        QVERIFY2(up.ok(), qPrintable(up.ok() ? QString() : up.error().message));
        auto head = b.headObject(QStringLiteral("clawdbot/a b/é.bin")).result();
        QVERIFY(head.ok());
        QCOMPARE(head.value().size, 100000);
        QCOMPARE(head.value().modified, when); // the source's time is kept

        auto list = b.list(ListRequest{}).result();
        QVERIFY(list.ok());
        QCOMPARE(list.value().objects.size(), 1);
        auto browse = b.list(ListRequest{QString(), QStringLiteral("/"), 0}).result();
        QCOMPARE(browse.value().commonPrefixes, QStringList{QStringLiteral("clawdbot/")});

        const QString back = tmp.filePath(QStringLiteral("back.bin"));
        auto down = b.download(QStringLiteral("clawdbot/a b/é.bin"), back,
                               DownloadOptions{{}, 100000, up.value().md5})
                        .result();
        QVERIFY(down.ok());
        QFile f(back);
        f.open(QIODevice::ReadOnly);
        QCOMPARE(f.readAll(), QByteArray(100000, 'x'));

        // A wrong expected MD5 is Corrupted and leaves nothing at the destination.
        const QString bad = tmp.filePath(QStringLiteral("bad.bin"));
        auto corrupt = b.download(QStringLiteral("clawdbot/a b/é.bin"), bad,
                                  DownloadOptions{{}, -1, QByteArray(32, 'a')})
                           .result();
        QCOMPARE(corrupt.error().kind, ErrorKind::Corrupted);
        QVERIFY(!QFileInfo::exists(bad));
        QVERIFY(QDir(tmp.path())
                    .entryList({QStringLiteral(".moltdesk-tmp-*")}, QDir::Hidden | QDir::Files)
                    .isEmpty());

        auto del = b.remove({QStringLiteral("clawdbot/a b/é.bin"), QStringLiteral("../escape")}).result();
        QVERIFY(del.ok());
        QCOMPARE(del.value().deleted.size(), 1);
        QCOMPARE(del.value().failed.size(), 1); // refused key reported, never counted as deleted
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("bucket/clawdbot")))); // empty folders go too
    }

    void hostileKeysRefused_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("dotdot") << "../x";
        QTest::newRow("inner dotdot") << "a/../../x";
        QTest::newRow("absolute") << "/etc/passwd";
        QTest::newRow("nul") << QStringLiteral("a") + QChar(0) + QStringLiteral("b");
        QTest::newRow("backslash") << "a\\..\\x";
        QTest::newRow("empty segment") << "a//b";
        QTest::newRow("dot") << "./x";
        QTest::newRow("too long") << QString(1025, QLatin1Char('k'));
        QTest::newRow("folder") << "a/";
    }
    void hostileKeysRefused()
    {
        QFETCH(QString, key);
        QTemporaryDir tmp;
        QDir().mkpath(tmp.filePath(QStringLiteral("b")));
        MountBackend b(QStringLiteral("x"), tmp.filePath(QStringLiteral("b")));
        auto r = b.putBytes(key, "data").result();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::InvalidInput);
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("x"))));
        QCOMPARE(b.getBytes(key).result().error().kind, ErrorKind::InvalidInput);
    }

    void symlinkEscapeRefused()
    {
        QTemporaryDir tmp;
        QDir().mkpath(tmp.filePath(QStringLiteral("b")));
        QDir().mkpath(tmp.filePath(QStringLiteral("outside")));
        QVERIFY(QFile::link(tmp.filePath(QStringLiteral("outside")), tmp.filePath(QStringLiteral("b/link"))));
        MountBackend b(QStringLiteral("x"), tmp.filePath(QStringLiteral("b")));
        auto r = b.putBytes(QStringLiteral("link/evil"), "data").result();
        QVERIFY(!r.ok());
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("outside/evil"))));
        // Listings never follow links either.
        writeFile(tmp.filePath(QStringLiteral("outside/secret")), "s");
        QVERIFY(b.list(ListRequest{}).result().value().objects.isEmpty());
        // Nor reads through a linked folder, nor an object that is itself a link, read or written.
        QCOMPARE(b.getBytes(QStringLiteral("link/secret")).result().error().kind, ErrorKind::InvalidInput);
        QVERIFY(QFile::link(tmp.filePath(QStringLiteral("outside/secret")),
                            tmp.filePath(QStringLiteral("b/leaf"))));
        QCOMPARE(b.getBytes(QStringLiteral("leaf")).result().error().kind, ErrorKind::InvalidInput);
        QCOMPARE(b.headObject(QStringLiteral("leaf")).result().error().kind, ErrorKind::InvalidInput);
        QCOMPARE(b.putBytes(QStringLiteral("leaf"), "overwritten").result().error().kind,
                 ErrorKind::InvalidInput);
        QVERIFY(QFileInfo(tmp.filePath(QStringLiteral("b/leaf"))).isSymLink());
        QFile secret(tmp.filePath(QStringLiteral("outside/secret")));
        QVERIFY(secret.open(QIODevice::ReadOnly));
        QCOMPARE(secret.readAll(), QByteArray("s"));
    }

    // listPages hands over what list() returns, in its order, a page of at most 1,000 at a time; the
    // keys are held at their own size (a key built by appending kept a third more, 100,000 times).
    void listPagesStreamsTheListing()
    {
        QTemporaryDir tmp;
        MountBackend b(QStringLiteral("moltbot-data-development"), tmp.path());
        for (int i = 0; i < 2500; ++i)
            writeFile(tmp.filePath(QStringLiteral("workspace/d%1/n%2.md").arg(i % 7).arg(i)), "x");
        const Result<Listing> all = b.list(ListRequest{}).result();
        QVERIFY(all.ok());
        QCOMPARE(all.value().objects.size(), 2500);
        QList<qsizetype> pageSizes;
        QStringList keys;
        const Status paged = b.listPages(ListRequest{}, [&](QList<ObjectInfo> &&page) {
                                  pageSizes << page.size();
                                  for (const ObjectInfo &o : page)
                                      keys << o.key;
                              }).result();
        QVERIFY(paged.ok());
        QCOMPARE(pageSizes, (QList<qsizetype>{1000, 1000, 500}));
        QStringList listed;
        for (const ObjectInfo &o : all.value().objects) {
            QCOMPARE(o.key.capacity(), o.key.size());
            listed << o.key;
        }
        QCOMPARE(keys, listed);
        const Status browse =
            b.listPages(ListRequest{QString(), QStringLiteral("/"), 0}, [](auto &&) {}).result();
        QCOMPARE(browse.error().kind, ErrorKind::InvalidInput);
        MountBackend gone(QStringLiteral("x"), tmp.filePath(QStringLiteral("missing")));
        QCOMPARE(gone.listPages(ListRequest{}, [](auto &&) {}).result().error().kind, ErrorKind::NotFound);
    }

    void getBytesLimit()
    {
        QTemporaryDir tmp;
        writeFile(tmp.filePath(QStringLiteral("b/.last-sync")), QByteArray(5000, '1'));
        MountBackend b(QStringLiteral("x"), tmp.filePath(QStringLiteral("b")));
        QCOMPARE(b.getBytes(QStringLiteral(".last-sync"), 4096).result().error().kind,
                 ErrorKind::InvalidInput);
        QCOMPARE(b.getBytes(QStringLiteral("missing")).result().error().kind, ErrorKind::NotFound);
    }

    void unwritableTargetFailsCleanly()
    {
        if (::geteuid() == 0)
            QSKIP("running as root: permissions do not stop writes (the ulimit case is covered by the "
                  "reliability suite)");
        QTemporaryDir tmp;
        QDir().mkpath(tmp.filePath(QStringLiteral("b")));
        QFile::setPermissions(tmp.filePath(QStringLiteral("b")),
                              QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        MountBackend b(QStringLiteral("x"), tmp.filePath(QStringLiteral("b")));
        QCOMPARE(b.putBytes(QStringLiteral("k"), "v").result().error().kind, ErrorKind::Local);
    }
};

QTEST_GUILESS_MAIN(TestMountBackend)
#include "tst_mountbackend.moc"
