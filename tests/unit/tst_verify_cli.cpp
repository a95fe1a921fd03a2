// `moltctl verify --json` as an operator runs it, for each way issue 13 found a false green: the
// verdict (holds / broken / unverified), its exit code (0 / 1 / 4) and the per-check `ran`.
#include "MoltctlRunner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run
{
    int code = -1;
    QJsonObject json;
    QByteArray out;
    QString err;
};

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(data);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject checkOf(const QJsonObject &report, const QString &name)
{
    for (const QJsonValue &v : report.value(QLatin1String("checks")).toArray()) {
        if (v.toObject().value(QLatin1String("check")).toString() == name)
            return v.toObject();
    }
    return {};
}

QList<QJsonObject> findingsOf(const QJsonObject &report, const QString &check, const QString &severity)
{
    QList<QJsonObject> out;
    for (const QJsonValue &v : report.value(QLatin1String("findings")).toArray()) {
        const QJsonObject f = v.toObject();
        if (f.value(QLatin1String("check")).toString() == check &&
            (severity.isEmpty() || f.value(QLatin1String("severity")).toString() == severity))
            out.append(f);
    }
    return out;
}

bool anyTitle(const QJsonObject &report, const QString &title)
{
    for (const QJsonValue &v : report.value(QLatin1String("findings")).toArray()) {
        if (v.toObject().value(QLatin1String("title")).toString() == title)
            return true;
    }
    return false;
}

// Kept out of the class: moc does not follow braces inside raw strings.
const QByteArray kWrangler =
    "{ \"name\": \"moltbot\", \"env\": {\n"
    "  \"development\": { \"name\": \"moltbot-development\", \"vars\": { \"ENVIRONMENT\": \"development\" } "
    "},\n"
    "  \"production\": { \"name\": \"moltbot-production\", \"vars\": { \"ENVIRONMENT\": \"production\" } }\n"
    "} }\n";
const QByteArray kS3Profile =
    "{ \"environments\": [\"development\", \"production\"], \"includeLegacy\": true,\n"
    "  \"wrangler\": \"wrangler.jsonc\", \"startScript\": \"start-moltbot.sh\",\n"
    "  \"storage\": { \"type\": \"s3\", \"endpoint\": \"https://127.0.0.1:9\", \"region\": \"auto\" } }\n";

} // namespace

class TestVerifyCli : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_demo;

    QString demoProfile() const { return m_demo + QStringLiteral("/profile.json"); }
    QString bucket(const QString &env) const
    {
        return m_demo + QStringLiteral("/data/data/moltbot") +
               (env.isEmpty() ? QString() : QLatin1Char('-') + env);
    }

    Run moltctl(const QStringList &args)
    {
        const moltdesk::test::MoltctlRun m =
            moltdesk::test::runMoltctl(m_dir, QStringList{QStringLiteral("--no-keychain")} + args);
        return {m.code, QJsonDocument::fromJson(m.out).object(), m.out, m.err};
    }

    Run verify(const QString &profile)
    {
        return moltctl(
            {QStringLiteral("--profile"), profile, QStringLiteral("verify"), QStringLiteral("--json")});
    }

    void freshDemo()
    {
        m_demo = m_dir.filePath(QStringLiteral("demo-%1").arg(++m_demos));
        const Run r = moltctl({QStringLiteral("init-demo"), m_demo});
        QCOMPARE(r.code, 0);
    }
    int m_demos = 0;

private slots:
    void initTestCase() { QVERIFY(QFileInfo::exists(qEnvironmentVariable("MOLTCTL"))); }

    // The exit code follows the verdict, and every check says whether it ran.
    void demoVerdictAndExitCode()
    {
        freshDemo();
        const Run r = verify(demoProfile());
        QCOMPARE(r.json.value(QLatin1String("verdict")).toString(), QStringLiteral("holds"));
        QCOMPARE(r.code, 0);
        const QJsonArray checks = r.json.value(QLatin1String("checks")).toArray();
        QCOMPARE(checks.size(), 8);
        for (const QJsonValue &v : checks)
            QVERIFY2(v.toObject().value(QLatin1String("ran")).toBool(),
                     qPrintable(v.toObject().value(QLatin1String("check")).toString()));
    }

    // An R2 profile with no keys at all: nothing was tested, so nothing holds.
    void noKeysIsUnverifiedNotOk()
    {
        const QString dir = m_dir.filePath(QStringLiteral("nokeys"));
        writeFile(dir + QStringLiteral("/wrangler.jsonc"), kWrangler);
        writeFile(
            dir + QStringLiteral("/start-moltbot.sh"),
            "#!/bin/bash\nif [ -n \"$ENVIRONMENT\" ]; then\n    BACKUP_DIR=\"/data/moltbot-$ENVIRONMENT\"\n"
            "else\n    BACKUP_DIR=\"/data/moltbot\"\nfi\n");
        writeFile(dir + QStringLiteral("/profile.json"), kS3Profile);
        const Run r = verify(dir + QStringLiteral("/profile.json"));
        QVERIFY2(r.code == 4,
                 qPrintable(QString::number(r.code) + QLatin1Char(' ') + r.err + QString::fromUtf8(r.out)));
        QCOMPARE(r.json.value(QLatin1String("verdict")).toString(), QStringLiteral("unverified"));
        QVERIFY(
            !anyTitle(r.json, QStringLiteral("each environment's credentials reach its own bucket only")));
        QVERIFY(findingsOf(r.json, QStringLiteral("credentials"), QStringLiteral("ok")).isEmpty());
        const QJsonObject creds = checkOf(r.json, QStringLiteral("credentials"));
        QCOMPARE(creds.value(QLatin1String("ran")).toBool(), false);
        QCOMPARE(creds.value(QLatin1String("state")).toString(), QStringLiteral("not-checked"));
        const QJsonObject why = creds.value(QLatin1String("notChecked")).toArray().first().toObject();
        QVERIFY(
            why.value(QLatin1String("toRun")).toString().contains(QLatin1String("moltctl credentials set")));
        for (const char *c : {"marker", "leak", "freshness", "leftover"})
            QVERIFY2(!checkOf(r.json, QString::fromLatin1(c)).value(QLatin1String("ran")).toBool(), c);
        for (const QJsonValue &cell : r.json.value(QLatin1String("matrix")).toArray())
            QCOMPARE(cell.toObject().value(QLatin1String("access")).toString(), QStringLiteral("not-tested"));
        // The text says so too.
        const Run text = moltctl(
            {QStringLiteral("--profile"), dir + QStringLiteral("/profile.json"), QStringLiteral("verify")});
        QCOMPARE(text.code, 4);
        QVERIFY(text.out.contains("UNVERIFIED"));
        QVERIFY(!text.out.contains("HOLDS"));
    }

    // wrangler.jsonc edited so env.production binds development's bucket: broken, at that line.
    void wranglerEditedIsBroken()
    {
        freshDemo();
        const QString path = m_demo + QStringLiteral("/wrangler.jsonc");
        QByteArray w = readFile(path);
        const int at = w.lastIndexOf("\"bucket_name\": \"moltbot-data-production\"");
        QVERIFY(at > 0);
        w.replace(at, qstrlen("\"bucket_name\": \"moltbot-data-production\""),
                  "\"bucket_name\": \"moltbot-data-development\"");
        writeFile(path, w);
        const Run r = verify(demoProfile());
        QCOMPARE(r.code, 1);
        QCOMPARE(r.json.value(QLatin1String("verdict")).toString(), QStringLiteral("broken"));
        bool atLine = false;
        for (const QJsonObject &f : findingsOf(r.json, QStringLiteral("naming"), QStringLiteral("failure")))
            atLine = atLine || (f.value(QLatin1String("file")).toString() == path &&
                                f.value(QLatin1String("line")).toInt() == w.left(at).count('\n') + 1);
        QVERIFY2(atLine, r.out.constData());
    }

    // A production marker copied into the development bucket: broken, on the next run, at once.
    void copiedMarkerIsBroken()
    {
        freshDemo();
        QCOMPARE(verify(demoProfile()).code, 0);
        QVERIFY(QFile::copy(bucket(QStringLiteral("development")) + QStringLiteral("/.moltdesk-environment"),
                            bucket(QStringLiteral("production")) + QStringLiteral("/.moltdesk-environment")));
        const Run r = verify(demoProfile());
        QCOMPARE(r.code, 1);
        QCOMPARE(r.json.value(QLatin1String("verdict")).toString(), QStringLiteral("broken"));
        QCOMPARE(checkOf(r.json, QStringLiteral("marker")).value(QLatin1String("state")).toString(),
                 QStringLiteral("failed"));
    }

    // Migrate legacy → production, then a sync that deletes the migrated objects.
    void migratedThenDeletedIsNotMigrated()
    {
        freshDemo();
        const QStringList p{QStringLiteral("--profile"), demoProfile()};
        QCOMPARE(moltctl(p + QStringList{QStringLiteral("migrate"), QStringLiteral("production"),
                                         QStringLiteral("--overwrite"), QStringLiteral("--confirm"),
                                         QStringLiteral("production")})
                     .code,
                 0);
        const Run before = verify(demoProfile());
        QVERIFY2(anyTitle(before.json, QStringLiteral("all legacy data was migrated")),
                 before.out.constData());
        QCOMPARE(moltctl(p + QStringList{QStringLiteral("sync"), QStringLiteral("production"),
                                         QStringLiteral("--confirm"), QStringLiteral("production")})
                     .code,
                 0);
        const Run after = verify(demoProfile());
        QVERIFY2(!anyTitle(after.json, QStringLiteral("all legacy data was migrated")),
                 after.out.constData());
        const auto gone = findingsOf(after.json, QStringLiteral("leftover"), QStringLiteral("warning"));
        bool said = false;
        for (const QJsonObject &f : gone)
            said = said || f.value(QLatin1String("title"))
                               .toString()
                               .contains(QLatin1String("migrated into moltbot-data-production are gone"));
        QVERIFY2(said, after.out.constData());
    }

    // A populated bucket without .last-sync: data loss at restart in the rsync era, normal in the rclone era.
    void missingLastSyncByEra()
    {
        freshDemo();
        QVERIFY(QFile::remove(bucket(QStringLiteral("production")) + QStringLiteral("/.last-sync")));
        const Run rsync = verify(demoProfile());
        QCOMPARE(rsync.code, 1);
        const auto f = findingsOf(rsync.json, QStringLiteral("freshness"), QStringLiteral("failure"));
        QVERIFY2(f.size() == 1 &&
                     f.first().value(QLatin1String("environment")).toString() == QLatin1String("production"),
                 rsync.out.constData());
        QVERIFY(
            f.first().value(QLatin1String("title")).toString().contains(QLatin1String("will not restore")));

        // The rclone era: openclaw/ layout and a start script that restores with rclone.
        const QString prod = bucket(QStringLiteral("production"));
        QVERIFY(QDir().rename(prod + QStringLiteral("/clawdbot"), prod + QStringLiteral("/openclaw")));
        writeFile(
            m_demo + QStringLiteral("/start-moltbot.sh"),
            "#!/bin/bash\nif [ -n \"$ENVIRONMENT\" ]; then\n    BACKUP_DIR=\"/data/moltbot-$ENVIRONMENT\"\n"
            "else\n    BACKUP_DIR=\"/data/moltbot\"\nfi\nrclone copy \"r2:$BUCKET/openclaw\" "
            "/root/.openclaw\n");
        const Run rclone = verify(demoProfile());
        QVERIFY2(findingsOf(rclone.json, QStringLiteral("freshness"), QStringLiteral("failure")).isEmpty(),
                 rclone.out.constData());
        bool normal = false;
        for (const QJsonObject &o :
             findingsOf(rclone.json, QStringLiteral("freshness"), QStringLiteral("ok")))
            normal =
                normal || o.value(QLatin1String("evidence")).toString().contains(QLatin1String("rclone era"));
        QVERIFY2(normal, rclone.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestVerifyCli)
#include "tst_verify_cli.moc"
