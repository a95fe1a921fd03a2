#include "Profile.h"
#include "ProfileCheck.h"
#include "Workspace.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <functional>

using namespace moltdesk;

Q_DECLARE_METATYPE(ProfileField)
Q_DECLARE_METATYPE(std::function<void(Profile &)>)

class TestProfile : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &text)
    {
        QFile f(m_dir.filePath(name));
        f.open(QIODevice::WriteOnly);
        f.write(text);
        return f.fileName();
    }

    // A profile value as the profile dialog builds it: valid as it stands.
    Profile draft() const
    {
        Profile p;
        p.path = m_dir.filePath(QStringLiteral("draft/moltdesk.json"));
        p.directory = m_dir.filePath(QStringLiteral("draft"));
        p.environments = {QStringLiteral("development"), QStringLiteral("production")};
        p.storage.type = StorageType::Mount;
        p.storage.root = m_dir.filePath(QStringLiteral("draft/data"));
        p.syncSets = {{m_dir.filePath(QStringLiteral("draft/src")), QStringLiteral("clawdbot/")},
                      {m_dir.filePath(QStringLiteral("draft/skills")), QStringLiteral("skills")}};
        p.exclude = Profile::defaultExcludes();
        return p;
    }

private slots:
    void fullS3Profile()
    {
        const QString path =
            write(QStringLiteral("p.json"),
                  "{\n"
                  "  \"environments\": [\"development\", \"production\"], \"includeLegacy\": true,\n"
                  "  \"naming\": { \"bucketBase\": \"moltbot-data\", \"mountBase\": \"/data/moltbot\", "
                  "\"instanceBase\": \"moltbot\" },\n"
                  "  \"storage\": { \"type\": \"s3\", \"endpoint\": "
                  "\"https://0123abcd.r2.cloudflarestorage.com\", \"region\": \"auto\" },\n"
                  "  \"syncSets\": [ { \"local\": \"~/.clawdbot\", \"prefix\": \"clawdbot/\" }, { \"local\": "
                  "\"rel/skills\", \"prefix\": \"skills\" } ],\n"
                  "  \"exclude\": [\"*.lock\", \"*.log\", \"*.tmp\", \".git/**\"] }");
        auto p = Profile::load(path);
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE(p.value().environments,
                 (QStringList{QStringLiteral("development"), QStringLiteral("production")}));
        QCOMPARE(p.value().storage.type, StorageType::S3);
        QCOMPARE(p.value().storage.endpoint.host(), QStringLiteral("0123abcd.r2.cloudflarestorage.com"));
        QCOMPARE(p.value().syncSets.at(0).local, QDir::homePath() + QStringLiteral("/.clawdbot"));
        QCOMPARE(p.value().syncSets.at(1).local,
                 m_dir.filePath(QStringLiteral("rel/skills"))); // relative to the profile
        QCOMPARE(p.value().syncSets.at(1).prefix, QStringLiteral("skills/"));
        QVERIFY(p.value().warnings.isEmpty());
        auto ws = Workspace::fromProfile(p.value());
        QVERIFY(ws.ok());
        QCOMPARE(ws.value().environments().size(), 3);
        QVERIFY(ws.value().environments().last().isLegacy());
        QVERIFY(ws.value().find(QStringLiteral("legacy")).ok());
        QVERIFY(!ws.value().find(QStringLiteral("staging")).ok());
        QVERIFY(!ws.value().find(QStringLiteral("../prod")).ok());
    }

    void defaultsAndMountMode()
    {
        const QString path = write(
            QStringLiteral("m.json"),
            "{ \"storage\": { \"type\": \"mount\", \"root\": \"data\" }, \"environments\": [\"dev\"] }");
        auto p = Profile::load(path);
        QVERIFY(p.ok());
        QCOMPARE(p.value().storage.root, m_dir.filePath(QStringLiteral("data")));
        QCOMPARE(p.value().exclude, Profile::defaultExcludes());
        QCOMPARE(p.value().syncSets.size(), 2);
        QCOMPARE(p.value().syncSets.at(0).prefix, QStringLiteral("clawdbot/"));
        QVERIFY(p.value().includeLegacy);
        auto ws = Workspace::fromProfile(p.value());
        QCOMPARE(ws.value().mountDirectory(ws.value().environments().first()),
                 m_dir.filePath(QStringLiteral("data/data/moltbot-dev")));
    }

    void unknownKeysReported()
    {
        const QString path = write(
            QStringLiteral("u.json"),
            "{ \"storage\": { \"type\": \"mount\", \"root\": \"/\", \"rooot\": 1 },\n \"enviroments\": [] }");
        auto p = Profile::load(path);
        QVERIFY(p.ok());
        QCOMPARE(p.value().warnings.size(), 2);
        QVERIFY(p.value().warnings.join(QLatin1Char('\n')).contains(QLatin1String("\"enviroments\"")));
        QVERIFY(p.value().warnings.join(QLatin1Char('\n')).contains(QLatin1String(":2: unknown key")));
    }

    void endpointFromAccountId()
    {
        auto p = Profile::parse("{ \"storage\": { \"type\": \"s3\" }, \"environments\": [\"development\"] }",
                                m_dir.filePath(QStringLiteral("x.json")));
        QVERIFY(p.ok());
        auto ws = Workspace::fromProfile(p.value());
        StorageFactory f(ws.value());
        CredentialLookup c;
        QVERIFY(!f.endpointFor(c).ok());
        c.credentials.accountId = QStringLiteral("0123abcd");
        QCOMPARE(f.endpointFor(c).value().toString(),
                 QStringLiteral("https://0123abcd.r2.cloudflarestorage.com"));
        c.credentials.accountId = QStringLiteral("evil.com/x");
        QVERIFY(!f.endpointFor(c).ok());
    }

    void plainHttpForR2Warned()
    {
        auto p = Profile::parse(
            "{ \"storage\": { \"type\": \"s3\", \"endpoint\": \"http://abc.r2.cloudflarestorage.com\" } }",
            QStringLiteral("p.json"));
        QVERIFY(p.ok());
        QVERIFY(p.value().warnings.join(QString()).contains(QLatin1String("plain http")));
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expect");
        QTest::newRow("not object") << QByteArray("[1]") << "must be a JSON object";
        QTest::newRow("no storage") << QByteArray("{}") << "\"storage\" is missing";
        QTest::newRow("storage type")
            << QByteArray("{\"storage\":{\"type\":\"ftp\"}}") << "storage.type must be";
        QTest::newRow("envs not array")
            << QByteArray("{\"environments\":\"dev\",\"storage\":{\"type\":\"mount\",\"root\":\"/\"}}")
            << "must be an array";
        QTest::newRow("env not string")
            << QByteArray("{\"environments\":[1],\"storage\":{\"type\":\"mount\",\"root\":\"/\"}}")
            << "must be a string";
        QTest::newRow("env bad name")
            << QByteArray("{\"environments\":[\"Prod\"],\"storage\":{\"type\":\"mount\",\"root\":\"/\"}}")
            << "uppercase";
        QTest::newRow("env dup")
            << QByteArray(
                   "{\"environments\":[\"a1\",\"a1\"],\"storage\":{\"type\":\"mount\",\"root\":\"/\"}}")
            << "listed twice";
        QTest::newRow("legacy type")
            << QByteArray("{\"includeLegacy\":\"yes\",\"storage\":{\"type\":\"mount\",\"root\":\"/\"}}")
            << "true or false";
        QTest::newRow("endpoint not url")
            << QByteArray("{\"storage\":{\"type\":\"s3\",\"endpoint\":\"not a url\"}}")
            << "not an http(s) URL";
        QTest::newRow("endpoint ftp")
            << QByteArray("{\"storage\":{\"type\":\"s3\",\"endpoint\":\"ftp://x.com\"}}")
            << "not an http(s) URL";
        QTest::newRow("endpoint path")
            << QByteArray("{\"storage\":{\"type\":\"s3\",\"endpoint\":\"https://x.com/bucket\"}}")
            << "no path";
        QTest::newRow("mount no root") << QByteArray("{\"storage\":{\"type\":\"mount\"}}") << "storage.root";
        QTest::newRow("naming bad base") << QByteArray("{\"naming\":{\"bucketBase\":\"Bad_Base\"},"
                                                       "\"storage\":{\"type\":\"mount\",\"root\":\"/\"}}")
                                         << "naming.bucketBase";
        QTest::newRow("naming mount relative")
            << QByteArray(
                   "{\"naming\":{\"mountBase\":\"data/x\"},\"storage\":{\"type\":\"mount\",\"root\":\"/\"}}")
            << "absolute path";
        QTest::newRow("syncset prefix escape")
            << QByteArray("{\"syncSets\":[{\"local\":\"a\",\"prefix\":\"../"
                          "x\"}],\"storage\":{\"type\":\"mount\",\"root\":\"/\"}}")
            << "relative key prefix";
        QTest::newRow("syncset overlap")
            << QByteArray(
                   "{\"syncSets\":[{\"local\":\"a\",\"prefix\":\"a/\"},{\"local\":\"b\",\"prefix\":\"a/b/"
                   "\"}],\"storage\":{\"type\":\"mount\",\"root\":\"/\"}}")
            << "overlaps";
        QTest::newRow("exclude type")
            << QByteArray("{\"exclude\":\"*.log\",\"storage\":{\"type\":\"mount\",\"root\":\"/\"}}")
            << "glob patterns";
        QTest::newRow("syntax") << QByteArray("{\n\"storage\": {,}\n}") << "line 2, column 13";
    }
    void refused()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expect);
        auto p = Profile::parse(text, QStringLiteral("bad.json"));
        QVERIFY(!p.ok());
        QCOMPARE(p.error().kind, ErrorKind::InvalidInput);
        QVERIFY2(p.error().message.contains(expect), qPrintable(p.error().message));
    }

    void roundTrip()
    {
        auto p =
            Profile::parse("{\"environments\":[\"development\"],\"storage\":{\"type\":\"mount\",\"root\":"
                           "\"data\"},\"syncSets\":[{\"local\":\"src\",\"prefix\":\"clawdbot/\"}]}",
                           m_dir.filePath(QStringLiteral("rt.json")));
        QVERIFY(p.ok());
        QVERIFY(p.value().save(m_dir.filePath(QStringLiteral("rt2.json"))).ok());
        auto again = Profile::load(m_dir.filePath(QStringLiteral("rt2.json")));
        QVERIFY(again.ok());
        QCOMPARE(again.value().storage.root, p.value().storage.root);
        QCOMPARE(again.value().syncSets.first().local, p.value().syncSets.first().local);
        QCOMPARE(again.value().environments, p.value().environments);
    }

    // "syncSets" as { "default": [...], "<env>": [...] }: production fed from its own folders.
    void syncSetsPerEnvironment()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.json"));
        const QByteArray text = R"({ "environments": ["development", "production"],
  "storage": { "type": "mount", "root": "data" },
  "syncSets": {
    "default": [ { "local": "dev/.clawdbot", "prefix": "clawdbot/" } ],
    "production": [ { "local": "prod/.clawdbot", "prefix": "clawdbot/" },
                    { "local": "prod/skills", "prefix": "skills/" } ] } })";
        auto p = Profile::parse(text, path);
        QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().toString()));
        QCOMPARE(p.value().syncSetsFor(QStringLiteral("development")).size(), 1);
        QCOMPARE(p.value().syncSetsFor(QStringLiteral("production")).size(), 2);
        QCOMPARE(p.value().syncSetsFor(QStringLiteral("production")).at(1).local,
                 dir.filePath(QStringLiteral("prod/skills")));
        // Written back in the same form, and read again the same.
        auto again = Profile::parse(p.value().toJson(), path);
        QVERIFY(again.ok());
        QCOMPARE(again.value().syncSetsFor(QStringLiteral("production")).size(), 2);
        QCOMPARE(again.value().syncSetsFor(QStringLiteral("development")).first().local,
                 dir.filePath(QStringLiteral("dev/.clawdbot")));
        // Without "default", every other environment keeps the default folders.
        auto noDefault = Profile::parse(R"({ "storage": { "type": "mount", "root": "d" },
  "syncSets": { "production": [ { "local": "p", "prefix": "clawdbot/" } ] } })",
                                        path);
        QVERIFY(noDefault.ok());
        QCOMPARE(noDefault.value().syncSetsFor(QStringLiteral("development")).size(),
                 Profile::defaultSyncSets().size());
        // Bad keys and lists are errors with their line.
        auto badKey = Profile::parse(R"({ "storage": { "type": "mount", "root": "d" },
  "syncSets": {
    "Prod": [ ] } })",
                                     path);
        QVERIFY(!badKey.ok());
        QVERIFY2(badKey.error().message.contains(QLatin1String(":3:")), qPrintable(badKey.error().message));
        QVERIFY(badKey.error().message.contains(QLatin1String("\"Prod\"")));
        auto badList = Profile::parse(R"({ "storage": { "type": "mount", "root": "d" },
  "syncSets": { "production": [ { "local": "a", "prefix": "x/" }, { "local": "b", "prefix": "x/y/" } ] } })",
                                      path);
        QVERIFY(!badList.ok());
        QVERIFY2(badList.error().message.contains(QLatin1String("syncSets.production[1].prefix")),
                 qPrintable(badList.error().message));
    }
    void checkedDraftIsWhatLoadingGives()
    {
        const ProfileCheck check = checkProfile(draft());
        QVERIFY(check.ok());
        QCOMPARE(check.profile.path, draft().path);
        QCOMPARE(check.profile.syncSets.at(1).prefix, QStringLiteral("skills/")); // the loader's form
        QCOMPARE(check.profile.syncSets.at(0).local, m_dir.filePath(QStringLiteral("draft/src")));
        QCOMPARE(check.profile.storage.root, m_dir.filePath(QStringLiteral("draft/data")));
    }

    // Each problem names the field it is about, and says it without the file and line.
    void problemTaggedByField_data()
    {
        using Edit = std::function<void(Profile &)>;
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<ProfileField>("field");
        QTest::addColumn<QString>("expect");
        QTest::newRow("no file") << Edit([](Profile &p) { p.path.clear(); }) << ProfileField::File
                                 << QStringLiteral("where to save");
        QTest::newRow("no environment")
            << Edit([](Profile &p) { p.environments.clear(); }) << ProfileField::Environments
            << QStringLiteral("at least one environment");
        QTest::newRow("environment name")
            << Edit([](Profile &p) { p.environments = {QStringLiteral("Prod_1")}; })
            << ProfileField::Environments << QStringLiteral("lowercase letters a-z");
        QTest::newRow("environment twice")
            << Edit([](Profile &p) { p.environments.append(QStringLiteral("production")); })
            << ProfileField::Environments << QStringLiteral("listed twice");
        QTest::newRow("naming base") << Edit([](Profile &p) { p.naming.bucketBase.clear(); })
                                     << ProfileField::Naming << QStringLiteral("naming.bucketBase");
        QTest::newRow("mount root") << Edit([](Profile &p) { p.storage.root.clear(); })
                                    << ProfileField::MountRoot << QStringLiteral("storage.root");
        QTest::newRow("endpoint") << Edit([](Profile &p) {
            p.storage.type = StorageType::S3;
            p.storage.endpoint = QUrl(QStringLiteral("ftp://example.com/path"));
        }) << ProfileField::Endpoint
                                  << QStringLiteral("storage.endpoint");
        QTest::newRow("region") << Edit([](Profile &p) {
            p.storage.type = StorageType::S3;
            p.storage.region.clear();
        }) << ProfileField::Region
                                << QStringLiteral("storage.region");
        QTest::newRow("prefix with ..")
            << Edit([](Profile &p) { p.syncSets[1].prefix = QStringLiteral("../skills/"); })
            << ProfileField::SyncSets << QStringLiteral("without \"..\"");
        QTest::newRow("prefixes overlap")
            << Edit([](Profile &p) { p.syncSets[1].prefix = QStringLiteral("clawdbot/skills/"); })
            << ProfileField::SyncSets << QStringLiteral("overlaps");
        QTest::newRow("no sync set") << Edit([](Profile &p) { p.syncSets.clear(); }) << ProfileField::SyncSets
                                     << QStringLiteral("at least one sync set");
        QTest::newRow("exclude") << Edit([](Profile &p) { p.exclude.append(QString()); })
                                 << ProfileField::Exclude << QStringLiteral("non-empty glob");
        QTest::newRow("stale hours") << Edit([](Profile &p) { p.staleAfterHours = 0; })
                                     << ProfileField::StaleAfterHours << QStringLiteral("between 1 and 8760");
        QTest::newRow("worker") << Edit([](Profile &p) {
            p.workers.insert(QStringLiteral("production"), QUrl(QStringLiteral("http://example.com")));
        }) << ProfileField::Workers
                                << QStringLiteral("https://");
        QTest::newRow("bucket name") << Edit([](Profile &p) {
            p.bucketNames.insert(QStringLiteral("production"), QStringLiteral("Bad_Bucket"));
        }) << ProfileField::BucketNames
                                     << QStringLiteral("bucketNames.production");
        QTest::newRow("workers.dev subdomain")
            << Edit([](Profile &p) { p.workersDevSubdomain = QStringLiteral("Not A Label"); })
            << ProfileField::WorkersDevSubdomain << QStringLiteral("one DNS label");
    }

    void problemTaggedByField()
    {
        QFETCH(std::function<void(Profile &)>, edit);
        QFETCH(ProfileField, field);
        QFETCH(QString, expect);
        Profile p = draft();
        edit(p);
        const ProfileCheck check = checkProfile(p);
        QCOMPARE(check.problems.size(), 1);
        QCOMPARE(check.problems.first().field, field);
        const QString message = check.problems.first().message;
        QVERIFY2(message.contains(expect), qPrintable(message));
        QVERIFY2(!message.contains(QLatin1String("moltdesk.json")), qPrintable(message));
    }

    // The loader names the field too (the JSON pointer's, not words of the message).
    void parseNamesTheField_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<ProfileField>("field");
        QTest::newRow("not an object") << QByteArray("[]") << ProfileField::Whole;
        QTest::newRow("not JSON") << QByteArray("{ \"storage\": ") << ProfileField::Whole;
        QTest::newRow("storage missing") << QByteArray("{}") << ProfileField::Storage;
        QTest::newRow("storage type")
            << QByteArray(R"({ "storage": { "type": "ftp" } })") << ProfileField::Storage;
        QTest::newRow("layout") << QByteArray(
                                       R"({ "storage": { "type": "mount", "root": "d" }, "layout": "x" })")
                                << ProfileField::SyncSets;
        QTest::newRow("includeLegacy")
            << QByteArray(R"({ "includeLegacy": 1, "storage": { "type": "mount", "root": "d" } })")
            << ProfileField::IncludeLegacy;
        QTest::newRow("wrangler") << QByteArray(
                                         R"({ "wrangler": "", "storage": { "type": "mount", "root": "d" } })")
                                  << ProfileField::Wrangler;
        QTest::newRow("startScript")
            << QByteArray(R"({ "startScript": 3, "storage": { "type": "mount", "root": "d" } })")
            << ProfileField::StartScript;
        QTest::newRow("caBundle") << QByteArray(
                                         R"({ "caBundle": [], "storage": { "type": "mount", "root": "d" } })")
                                  << ProfileField::CaBundle;
    }

    void parseNamesTheField()
    {
        QFETCH(QByteArray, text);
        QFETCH(ProfileField, field);
        ProfileProblem problem{ProfileField::File, QString()};
        const auto p = Profile::parse(text, QStringLiteral("bad.json"), &problem);
        QVERIFY(!p.ok());
        QCOMPARE(problem.field, field);
        QVERIFY(!problem.message.isEmpty());
        QVERIFY2(p.error().message.endsWith(problem.message), qPrintable(p.error().message));
    }

    void fieldOfPointer()
    {
        QCOMPARE(profileFieldAt(QStringLiteral("/storage/root")), ProfileField::MountRoot);
        QCOMPARE(profileFieldAt(QStringLiteral("/storage/rootx")), ProfileField::Storage);
        QCOMPARE(profileFieldAt(QStringLiteral("/storage")), ProfileField::Storage);
        QCOMPARE(profileFieldAt(QStringLiteral("/syncSets/production/1")), ProfileField::SyncSets);
        QCOMPARE(profileFieldAt(QStringLiteral("/workersDevSubdomain")), ProfileField::WorkersDevSubdomain);
        QCOMPARE(profileFieldAt(QStringLiteral("/workers/production")), ProfileField::Workers);
        QCOMPARE(profileFieldAt(QString()), ProfileField::Whole);
    }
};

QTEST_GUILESS_MAIN(TestProfile)
#include "tst_profile.moc"
