// moltctl as a user runs it: real process, real demo workspace, exit codes and JSON checked.
#include "MoltctlRunner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_profile;

    using Run = moltdesk::test::MoltctlRun;
    Run moltctl(const QStringList &args, const QByteArray &stdinData = {})
    {
        return moltdesk::test::runMoltctl(m_dir, args, stdinData);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFileInfo::exists(qEnvironmentVariable("MOLTCTL")));
        const Run r = moltctl({QStringLiteral("init-demo"), m_dir.filePath(QStringLiteral("demo"))});
        QCOMPARE(r.code, 0);
        m_profile = m_dir.filePath(QStringLiteral("demo/profile.json"));
        QVERIFY(QFileInfo::exists(m_profile));
    }

    void statusJsonEveryField()
    {
        const Run r = moltctl(
            {QStringLiteral("--profile"), m_profile, QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QJsonParseError pe;
        const QJsonObject doc = QJsonDocument::fromJson(r.out, &pe).object();
        QCOMPARE(pe.error, QJsonParseError::NoError);
        QCOMPARE(doc.value(QLatin1String("profile")).toString(), QFileInfo(m_profile).absoluteFilePath());
        QCOMPARE(doc.value(QLatin1String("storage")).toObject().value(QLatin1String("type")).toString(),
                 QStringLiteral("mount"));
        QCOMPARE(doc.value(QLatin1String("staleAfterHours")).toInt(), 24);
        const QJsonArray rows = doc.value(QLatin1String("environments")).toArray();
        QCOMPARE(rows.size(), 3);

        struct Expect
        {
            QJsonValue env;
            const char *bucket, *mount, *instance, *lastSyncState, *marker, *health;
            bool stale;
            int objects;
        };
        // Counts as the demo generator writes them (see DemoWorkspace.cpp).
        const Expect expect[] = {
            {QStringLiteral("development"), "moltbot-data-development", "/data/moltbot-development",
             "moltbot-development", "valid", "own", "ok", false, 2 + 2 + 25 + 12 + 6},
            {QStringLiteral("production"), "moltbot-data-production", "/data/moltbot-production",
             "moltbot-production", "valid", "missing", "warning", true, 1 + 2 + 40 + 12 + 6},
            {QJsonValue(QJsonValue::Null), "moltbot-data", "/data/moltbot", "moltbot", "valid", "missing",
             "warning", false, 1 + 2 + 40 + 12}, // legacy: never stale, nothing syncs into it
        };
        for (int i = 0; i < 3; ++i) {
            const QJsonObject row = rows.at(i).toObject();
            const Expect &e = expect[i];
            QCOMPARE(row.value(QLatin1String("environment")), e.env);
            QCOMPARE(row.value(QLatin1String("legacy")).toBool(), e.env.isNull());
            QCOMPARE(row.value(QLatin1String("bucket")).toString(), QLatin1String(e.bucket));
            QCOMPARE(row.value(QLatin1String("mountPath")).toString(), QLatin1String(e.mount));
            QCOMPARE(row.value(QLatin1String("instanceId")).toString(), QLatin1String(e.instance));
            QCOMPARE(row.value(QLatin1String("location")).toString(),
                     m_dir.filePath(QStringLiteral("demo/data")) + QLatin1String(e.mount));
            const QJsonObject creds = row.value(QLatin1String("credentials")).toObject();
            QCOMPARE(creds.value(QLatin1String("source")).toString(), QStringLiteral("not needed"));
            QVERIFY(creds.value(QLatin1String("missing")).toArray().isEmpty());
            QCOMPARE(row.value(QLatin1String("reachable")).toBool(), true);
            QVERIFY(row.value(QLatin1String("error")).isNull());
            const QJsonObject ls = row.value(QLatin1String("lastSync")).toObject();
            QCOMPARE(ls.value(QLatin1String("state")).toString(), QLatin1String(e.lastSyncState));
            QVERIFY(ls.value(QLatin1String("raw")).toString().endsWith(QLatin1String("+00:00")));
            QVERIFY(QDateTime::fromString(ls.value(QLatin1String("time")).toString(), Qt::ISODate).isValid());
            QCOMPARE(ls.value(QLatin1String("stale")).toBool(), e.stale);
            QVERIFY(ls.value(QLatin1String("ageSeconds")).toDouble() > 0);
            QVERIFY(!ls.value(QLatin1String("age")).toString().isEmpty());
            const QJsonObject usage = row.value(QLatin1String("usage")).toObject();
            QCOMPARE(usage.value(QLatin1String("listed")).toBool(), true);
            QCOMPARE(usage.value(QLatin1String("objects")).toInt(), e.objects);
            qint64 sum = 0, count = 0;
            QStringList prefixes;
            for (const QJsonValue &p : usage.value(QLatin1String("prefixes")).toArray()) {
                prefixes << p.toObject().value(QLatin1String("prefix")).toString();
                sum += qint64(p.toObject().value(QLatin1String("bytes")).toDouble());
                count += p.toObject().value(QLatin1String("objects")).toInt();
            }
            QCOMPARE(count, e.objects);
            QCOMPARE(sum, qint64(usage.value(QLatin1String("bytes")).toDouble()));
            QVERIFY(prefixes.contains(QStringLiteral("clawdbot/")));
            QVERIFY(prefixes.contains(QStringLiteral("skills/")));
            QCOMPARE(row.value(QLatin1String("marker")).toObject().value(QLatin1String("state")).toString(),
                     QLatin1String(e.marker));
            QCOMPARE(row.value(QLatin1String("health")).toString(), QLatin1String(e.health));
            QCOMPARE(row.value(QLatin1String("problems")).toArray().isEmpty(),
                     QLatin1String(e.health) == QLatin1String("ok"));
        }
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList{} << 2 << "no command given";
        QTest::newRow("unknown command")
            << QStringList{QStringLiteral("frobnicate")} << 2 << "unknown command";
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("status"), QStringLiteral("--jsn")} << 2 << "unknown option --jsn";
        QTest::newRow("bad env name")
            << QStringList{QStringLiteral("sync"), QStringLiteral("../prod")} << 2 << "path character";
        QTest::newRow("uppercase env")
            << QStringList{QStringLiteral("ls"), QStringLiteral("Prod")} << 2 << "uppercase";
        QTest::newRow("unknown env") << QStringList{QStringLiteral("sync"), QStringLiteral("staging")} << 2
                                     << "not in this profile";
        QTest::newRow("restore without --to")
            << QStringList{QStringLiteral("restore"), QStringLiteral("development")} << 2 << "usage: restore";
        QTest::newRow("prod unconfirmed")
            << QStringList{QStringLiteral("stamp"), QStringLiteral("production")} << 3
            << "--confirm production";
        QTest::newRow("prod wrong confirm")
            << QStringList{QStringLiteral("stamp"), QStringLiteral("production"), QStringLiteral("--confirm"),
                           QStringLiteral("PRODUCTION")}
            << 3 << "--confirm production";
        // The shared preamble: every command's options from the help table, range-checked the same
        // wherever they are accepted, and the command's own usage after a usage error.
        QTest::newRow("restore concurrency 0")
            << QStringList{QStringLiteral("restore"),       QStringLiteral("development"),
                           QStringLiteral("--to"),          m_dir.filePath(QStringLiteral("r")),
                           QStringLiteral("--concurrency"), QStringLiteral("0")}
            << 2 << "--concurrency takes a number from 1 to 128";
        QTest::newRow("migrate concurrency 999")
            << QStringList{QStringLiteral("migrate"), QStringLiteral("development"),
                           QStringLiteral("--concurrency=999")}
            << 2 << "--concurrency takes a number from 1 to 128";
        QTest::newRow("sync concurrency words")
            << QStringList{QStringLiteral("sync"), QStringLiteral("development"),
                           QStringLiteral("--concurrency"), QStringLiteral("many")}
            << 2 << "--concurrency takes a number from 1 to 128";
        QTest::newRow("worker timeout 0")
            << QStringList{QStringLiteral("worker"), QStringLiteral("sync"), QStringLiteral("development"),
                           QStringLiteral("--timeout"), QStringLiteral("0")}
            << 2 << "--timeout takes seconds from 1 to 3600";
        QTest::newRow("wait is restart's only")
            << QStringList{QStringLiteral("worker"), QStringLiteral("status"), QStringLiteral("--wait")} << 2
            << "unknown option --wait";
        QTest::newRow("worker unknown subcommand")
            << QStringList{QStringLiteral("worker"), QStringLiteral("frob")} << 2
            << "unknown worker subcommand \"frob\"";
        QTest::newRow("credentials without set")
            << QStringList{QStringLiteral("credentials"), QStringLiteral("development")} << 2
            << "unknown credentials subcommand";
        QTest::newRow("flag with a value")
            << QStringList{QStringLiteral("stamp"), QStringLiteral("development"),
                           QStringLiteral("--force=yes")}
            << 2 << "unknown option --force";
        QTest::newRow("ls without env")
            << QStringList{QStringLiteral("ls")} << 2 << "usage: moltctl [GLOBAL OPTIONS] ls ENV [PREFIX]";
        QTest::newRow("compare one env")
            << QStringList{QStringLiteral("compare"), QStringLiteral("development")} << 2
            << "usage: compare A B";
        QTest::newRow("compare unknown B")
            << QStringList{QStringLiteral("compare"), QStringLiteral("development"),
                           QStringLiteral("staging")}
            << 2 << "not in this profile";
        QTest::newRow("no-delete with max-delete")
            << QStringList{QStringLiteral("sync"), QStringLiteral("development"),
                           QStringLiteral("--no-delete"), QStringLiteral("--max-delete"), QStringLiteral("3")}
            << 2 << "contradict";
        QTest::newRow("max-delete bad") << QStringList{QStringLiteral("sync"), QStringLiteral("development"),
                                                       QStringLiteral("--max-delete"), QStringLiteral("lots")}
                                        << 2 << "--max-delete takes";
    }
    void exitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Run r = moltctl(QStringList{QStringLiteral("--profile"), m_profile} + args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    // Secrets come from standard input only, read the same for both commands that take them; what
    // is missing or malformed is refused before anything is stored.
    void secretsFromStdin_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("message");
        const QStringList creds{QStringLiteral("credentials"), QStringLiteral("set"),
                                QStringLiteral("development")};
        const QStringList token{QStringLiteral("worker"), QStringLiteral("token"), QStringLiteral("set"),
                                QStringLiteral("development")};
        QTest::newRow("credentials: nothing") << creds << QByteArray() << "stdin must set R2_ACCESS_KEY_ID";
        QTest::newRow("credentials: secret only")
            << creds << QByteArray("R2_SECRET_ACCESS_KEY=x\n") << "stdin must set R2_ACCESS_KEY_ID";
        QTest::newRow("credentials: not text")
            << creds << QByteArray(1, '\0') << "stdin: file contains a NUL byte";
        QTest::newRow("token: R2 keys are not a token")
            << token << QByteArray("R2_ACCESS_KEY_ID=a\nR2_SECRET_ACCESS_KEY=b\n")
            << "stdin must set CF_ACCESS_CLIENT_ID";
        QTest::newRow("token: not text") << token << QByteArray(1, '\0') << "stdin: file contains a NUL byte";
    }
    void secretsFromStdin()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, input);
        QFETCH(QString, message);
        const Run r = moltctl(
            QStringList{QStringLiteral("--profile"), m_profile, QStringLiteral("--no-keychain")} + args,
            input);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void missingProfile()
    {
        const Run r = moltctl({QStringLiteral("--profile"), m_dir.filePath(QStringLiteral("nope.json")),
                               QStringLiteral("status")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QLatin1String("no profile at")));
    }

    void dryRunChangesNothingAndProductionNeedsConfirmation()
    {
        const QString prodStamp =
            m_dir.filePath(QStringLiteral("demo/data/data/moltbot-production/.last-sync"));
        QFile f(prodStamp);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        Run r =
            moltctl({QStringLiteral("--profile"), m_profile, QStringLiteral("sync"),
                     QStringLiteral("production"), QStringLiteral("--dry-run"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0 || r.code == 3, qPrintable(r.err));
        const QJsonObject plan =
            QJsonDocument::fromJson(r.out).object().value(QLatin1String("plan")).toObject();
        QCOMPARE(plan.value(QLatin1String("kind")).toString(), QStringLiteral("sync"));
        QVERIFY(plan.value(QLatin1String("needsConfirmation")).toBool());
        r = moltctl({QStringLiteral("--profile"), m_profile, QStringLiteral("sync"),
                     QStringLiteral("production"), QStringLiteral("--max-delete"),
                     QStringLiteral("unlimited")});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains(QLatin1String("--confirm production")), qPrintable(r.err));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
        f.close();
        r = moltctl({QStringLiteral("--profile"), m_profile, QStringLiteral("sync"),
                     QStringLiteral("production"), QStringLiteral("--max-delete"),
                     QStringLiteral("unlimited"), QStringLiteral("--confirm"), QStringLiteral("production"),
                     QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QJsonObject result =
            QJsonDocument::fromJson(r.out).object().value(QLatin1String("result")).toObject();
        QCOMPARE(result.value(QLatin1String("outcome")).toString(), QStringLiteral("succeeded"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().trimmed(), result.value(QLatin1String("lastSyncWritten")).toString().toUtf8());
    }

    // --no-delete keeps what exists only in the bucket; a restore from production only reads it, so
    // it needs no confirmation.
    void noDeleteAndRestoreFromProduction()
    {
        const QString extra =
            m_dir.filePath(QStringLiteral("demo/data/data/moltbot-development/clawdbot/only-here.txt"));
        QFile f(extra);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("kept");
        f.close();
        const QStringList sync{QStringLiteral("--profile"), m_profile, QStringLiteral("sync"),
                               QStringLiteral("development"), QStringLiteral("--json")};
        Run r = moltctl(sync + QStringList{QStringLiteral("--dry-run")});
        QVERIFY2(r.code == 0 || r.code == 3, qPrintable(r.err));
        QJsonObject plan = QJsonDocument::fromJson(r.out).object().value(QLatin1String("plan")).toObject();
        QVERIFY(plan.value(QLatin1String("counts"))
                    .toObject()
                    .value(QLatin1String("delete"))
                    .toObject()
                    .value(QLatin1String("count"))
                    .toInt() >= 1);
        r = moltctl(sync + QStringList{QStringLiteral("--no-delete")});
        QCOMPARE(r.code, 0);
        plan = QJsonDocument::fromJson(r.out).object().value(QLatin1String("plan")).toObject();
        QCOMPARE(plan.value(QLatin1String("counts"))
                     .toObject()
                     .value(QLatin1String("delete"))
                     .toObject()
                     .value(QLatin1String("count"))
                     .toInt(),
                 0);
        QVERIFY(plan.value(QLatin1String("deletionsSkipped")).toInt() >= 1);
        QVERIFY(QFileInfo::exists(extra));
        r = moltctl(sync + QStringList{QStringLiteral("--no-delete"), QStringLiteral("--max-delete"),
                                       QStringLiteral("3")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QLatin1String("contradict")));

        r = moltctl({QStringLiteral("--profile"), m_profile, QStringLiteral("restore"),
                     QStringLiteral("production"), QStringLiteral("--to"),
                     m_dir.filePath(QStringLiteral("restored-prod")), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        plan = QJsonDocument::fromJson(r.out).object().value(QLatin1String("plan")).toObject();
        QCOMPARE(plan.value(QLatin1String("needsConfirmation")).toBool(), false);
        QVERIFY(QFileInfo::exists(m_dir.filePath(QStringLiteral("restored-prod"))));
    }

    void lsJson()
    {
        const Run r =
            moltctl({QStringLiteral("--profile"), m_profile, QStringLiteral("ls"), QStringLiteral("legacy"),
                     QStringLiteral("clawdbot/devices/"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QJsonArray arr = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(arr.size(), 1);
        QCOMPARE(arr.at(0).toObject().value(QLatin1String("key")).toString(),
                 QStringLiteral("clawdbot/devices/paired.json"));
        QVERIFY(arr.at(0).toObject().value(QLatin1String("size")).toInt() > 0);
    }

    // An unreadable marker is evidence: stamp keeps it (exit 3) unless --force, sync refuses the bucket.
    void unreadableMarkerNeedsForce()
    {
        const QString marker =
            m_dir.filePath(QStringLiteral("demo/data/data/moltbot-development/.moltdesk-environment"));
        const auto contents = [&marker]() {
            QFile f(marker);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        {
            QFile f(marker);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("{\"environment\": \"devel");
        }
        const QStringList prefix{QStringLiteral("--profile"), m_profile};
        Run r = moltctl(prefix + QStringList{QStringLiteral("stamp"), QStringLiteral("development")});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains(QLatin1String("cannot be read")) && r.err.contains(QLatin1String("--force")),
                 qPrintable(r.err));
        QCOMPARE(contents(), QByteArray("{\"environment\": \"devel"));

        r = moltctl(prefix + QStringList{QStringLiteral("sync"), QStringLiteral("development"),
                                         QStringLiteral("--dry-run")});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains(QLatin1String("would be refused")) &&
                     r.err.contains(QLatin1String("cannot be read")),
                 qPrintable(r.err));
        r = moltctl(prefix + QStringList{QStringLiteral("sync"), QStringLiteral("development")});
        QCOMPARE(r.code, 3);
        QCOMPARE(contents(), QByteArray("{\"environment\": \"devel"));

        r = moltctl(prefix + QStringList{QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QJsonObject dev = QJsonDocument::fromJson(r.out)
                                    .object()
                                    .value(QLatin1String("environments"))
                                    .toArray()
                                    .at(0)
                                    .toObject();
        const QJsonObject mk = dev.value(QLatin1String("marker")).toObject();
        QCOMPARE(mk.value(QLatin1String("state")).toString(), QStringLiteral("unreadable"));
        QVERIFY(!mk.value(QLatin1String("error")).toString().isEmpty());

        r = moltctl(prefix + QStringList{QStringLiteral("stamp"), QStringLiteral("development"),
                                         QStringLiteral("--force")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject written = QJsonDocument::fromJson(contents()).object();
        QCOMPARE(written.value(QLatin1String("environment")).toString(), QStringLiteral("development"));
        QCOMPARE(written.value(QLatin1String("bucket")).toString(),
                 QStringLiteral("moltbot-data-development"));
        // --force is no licence to hide a cross-wired bucket.
        {
            QFile f(marker);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("{\"environment\":\"production\",\"bucket\":\"moltbot-data-production\"}");
        }
        r = moltctl(prefix + QStringList{QStringLiteral("stamp"), QStringLiteral("development"),
                                         QStringLiteral("--force")});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains(QLatin1String("cross-wired")), qPrintable(r.err));
        QVERIFY(contents().contains("production"));
        QVERIFY(QFile::remove(marker));
        QCOMPARE(moltctl(prefix + QStringList{QStringLiteral("stamp"), QStringLiteral("development")}).code,
                 0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
