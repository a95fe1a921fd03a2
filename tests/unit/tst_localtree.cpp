// LocalTree::walk hands files over in relativePath order without sorting the whole tree (sync's plan
// walks it side by side with the bucket's listing): the order must be exactly the one scan() had, also
// for names that sort around '/' ("a.txt" < "a/b" < "a0") and beyond the BMP.
#include "LocalTree.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace moltdesk;

class TestLocalTree : public QObject
{
    Q_OBJECT

    static void write(const QString &root, const QString &rel)
    {
        const QString path = root + QLatin1Char('/') + rel;
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(rel.toUtf8());
    }

private slots:
    void walkIsInRelativePathOrder()
    {
        QTemporaryDir dir;
        const QStringList names = {QStringLiteral("a.txt"),
                                   QStringLiteral("a/b"),
                                   QStringLiteral("a/b.c/d"),
                                   QStringLiteral("a-b"),
                                   QStringLiteral("a0"),
                                   QStringLiteral("a/ab/z"),
                                   QStringLiteral("b/\U0001F600.md"),
                                   QStringLiteral("b/\uFFFD.md"),
                                   QStringLiteral("b/x y"),
                                   QStringLiteral("B"),
                                   QStringLiteral("skip/me")};
        for (const QString &n : names)
            write(dir.path(), n);
        QVERIFY(QFile::link(dir.path() + QStringLiteral("/a.txt"), dir.path() + QStringLiteral("/link")));
        QStringList warnings;
        QStringList seen;
        const auto r = LocalTree::walk(
            dir.path(), ExcludeRules({QStringLiteral("skip/**")}), {}, warnings, [&](const LocalFile &f) {
                seen << f.relativePath;
                QCOMPARE(f.absolutePath, dir.path() + QLatin1Char('/') + f.relativePath);
                QCOMPARE(f.size, qint64(f.relativePath.toUtf8().size()));
            });
        QVERIFY(r.ok());
        QVERIFY(r.value());
        QStringList expected = names;
        expected.removeAll(QStringLiteral("skip/me"));
        std::sort(expected.begin(), expected.end());
        QCOMPARE(seen, expected);
        QCOMPARE(warnings.size(), 1); // the symbolic link, skipped
        // scan() is the same walk, held.
        const auto scan = LocalTree::scan(dir.path(), ExcludeRules({QStringLiteral("skip/**")}));
        QVERIFY(scan.ok());
        QStringList scanned;
        for (const LocalFile &f : scan.value().files)
            scanned << f.relativePath;
        QCOMPARE(scanned, expected);
    }

    void missingRootIsNotAnError()
    {
        QStringList warnings;
        int files = 0;
        const auto r = LocalTree::walk(QStringLiteral("/nonexistent/moltdesk"), ExcludeRules(), {}, warnings,
                                       [&](const LocalFile &) { ++files; });
        QVERIFY(r.ok());
        QVERIFY(!r.value());
        QCOMPARE(files, 0);
    }
};

QTEST_GUILESS_MAIN(TestLocalTree)
#include "tst_localtree.moc"
