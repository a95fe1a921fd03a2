// The s3fs folder-object rule (core/storage/FolderObjects): which keys are folders, and how a
// listing is split into data and folders, flat and folder by folder.
#include "FolderObjects.h"

#include <QtTest>

using namespace moltdesk;
using namespace Qt::StringLiterals;

namespace {
ObjectInfo obj(const char *key, qint64 size)
{
    ObjectInfo o;
    o.key = QString::fromUtf8(key);
    o.size = size;
    return o;
}
QStringList keysOf(const QList<ObjectInfo> &l)
{
    QStringList out;
    for (const ObjectInfo &o : l)
        out << o.key;
    return out;
}
} // namespace

class TestFolderObjects : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recognises_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<qint64>("size");
        QTest::addColumn<bool>("folder");
        QTest::addColumn<QString>("folderOf");
        QTest::newRow("s3fs folder") << "clawdbot/" << qint64(0) << true << "clawdbot/";
        QTest::newRow("nested folder") << "clawdbot/devices/" << qint64(0) << true << "clawdbot/devices/";
        QTest::newRow("legacy form") << "clawdbot_$folder$" << qint64(0) << true << "clawdbot/";
        QTest::newRow("nested legacy") << "skills/a_$folder$" << qint64(0) << true << "skills/a/";
        QTest::newRow("file") << "clawdbot/clawdbot.json" << qint64(0) << false << "";
        QTest::newRow("empty file at root") << ".last-sync" << qint64(0) << false << "";
        // With content it is not what s3fs writes: it stays an object (restore refuses it by name).
        QTest::newRow("slash key with bytes") << "clawdbot/" << qint64(5) << false << "clawdbot/";
        QTest::newRow("legacy form with bytes") << "x_$folder$" << qint64(1) << false << "x/";
        QTest::newRow("bare slash") << "/" << qint64(0) << false << "";
        QTest::newRow("bare suffix") << "_$folder$" << qint64(0) << false << "";
        QTest::newRow("suffix inside a name") << "a_$folder$b" << qint64(0) << false << "";
    }
    void recognises()
    {
        QFETCH(QString, key);
        QFETCH(qint64, size);
        QFETCH(bool, folder);
        QFETCH(QString, folderOf);
        ObjectInfo o;
        o.key = key;
        o.size = size;
        QCOMPARE(FolderObjects::isFolderObject(o), folder);
        QCOMPARE(FolderObjects::folderOf(key), folderOf);
    }

    void flatListingKeepsOnlyData()
    {
        Listing l;
        l.objects = {obj("clawdbot/", 0),         obj("clawdbot/clawdbot.json", 12),
                     obj("clawdbot/devices/", 0), obj("clawdbot/devices/a.json", 3),
                     obj("skills_$folder$", 0),   obj("odd/", 4)};
        FolderObjects::separate(l, ListRequest{});
        QCOMPARE(keysOf(l.objects),
                 QStringList({u"clawdbot/clawdbot.json"_s, u"clawdbot/devices/a.json"_s, u"odd/"_s}));
        QCOMPARE(keysOf(l.folderObjects),
                 QStringList({u"clawdbot/"_s, u"clawdbot/devices/"_s, u"skills_$folder$"_s}));
        QVERIFY(l.commonPrefixes.isEmpty()); // a flat listing has no folders to show
    }

    void browsingShowsFolders()
    {
        // Root, folder by folder: the legacy form becomes the folder it names, once.
        Listing root;
        root.objects = {obj(".last-sync", 25), obj("clawdbot_$folder$", 0), obj("skills_$folder$", 0)};
        root.commonPrefixes = {u"clawdbot/"_s};
        FolderObjects::separate(root, ListRequest{{}, u"/"_s, 0});
        QCOMPARE(keysOf(root.objects), QStringList{u".last-sync"_s});
        QCOMPARE(root.commonPrefixes, QStringList({u"clawdbot/"_s, u"skills/"_s}));

        // Inside clawdbot/: the folder's own object is not a child of itself.
        Listing inside;
        inside.objects = {obj("clawdbot/", 0), obj("clawdbot/clawdbot.json", 12),
                          obj("clawdbot/old_$folder$", 0)};
        inside.commonPrefixes = {u"clawdbot/devices/"_s};
        FolderObjects::separate(inside, ListRequest{u"clawdbot/"_s, u"/"_s, 0});
        QCOMPARE(keysOf(inside.objects), QStringList{u"clawdbot/clawdbot.json"_s});
        QCOMPARE(inside.commonPrefixes, QStringList({u"clawdbot/devices/"_s, u"clawdbot/old/"_s}));
        QCOMPARE(inside.folderObjects.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestFolderObjects)
#include "tst_folderobjects.moc"
