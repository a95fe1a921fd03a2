// moltctl's worker commands and `verify --live` against the project's stand-in worker, whose emulated
// containers back up into the real S3 fixture with the seed's own commands (rsync era) or upstream's
// (rclone era). Every command in both eras; the mis-wired container (writes into production's bucket,
// or restores from the wrong path) caught by `worker sync`, `verify --live` and `check-persistence`;
// every failure reply's message and exit code; and no token or key in any output or file.
#include "SecretScan.h"
#include "StandinWorker.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>

using namespace moltdesk::test;

namespace {
struct Run
{
    int code = -1;
    QByteArray out, err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QByteArray all() const { return out + err; }
};
} // namespace

class TestWorker : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;
    StandinWorker m_worker;
    std::unique_ptr<QTemporaryDir> m_dir;
    QByteArray m_allOutput; // every byte any moltctl run printed, for the secrets check

    QString ws(const QString &rel = {}) const { return m_dir->filePath(QStringLiteral("ws/") + rel); }

    Run run(const QStringList &args, const QByteArray &stdinData = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir->filePath(QStringLiteral("xdg/data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir->filePath(QStringLiteral("xdg/cache")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir->filePath(QStringLiteral("xdg/config")));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("moltdesk.*.debug=true"));
        for (const char *v :
             {"R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY", "CF_ACCESS_CLIENT_ID", "CF_ACCESS_CLIENT_SECRET"})
            env.remove(QLatin1String(v));
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("MOLTCTL"),
                QStringList{QStringLiteral("--no-keychain"), QStringLiteral("--profile"),
                            ws(QStringLiteral("profile.json"))} +
                    args);
        p.write(stdinData);
        p.closeWriteChannel();
        if (!p.waitForFinished(300000))
            p.kill();
        Run r{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
              p.readAllStandardError()};
        m_allOutput += r.out + r.err;
        return r;
    }
    void write(const QString &path, const QByteArray &data)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(data);
    }
    void writeProfile(const QJsonObject &workers)
    {
        write(ws(QStringLiteral("profile.json")),
              QJsonDocument(m_server.profile({{QStringLiteral("workers"), workers}})).toJson());
    }
    void writeVars(const QString &env, const QString &user, const QString &clientId,
                   const QString &clientSecret)
    {
        const ServerUser u = m_server.user(user);
        const QString file =
            env == QLatin1String("legacy") ? QStringLiteral(".dev.vars") : QStringLiteral(".dev.vars.") + env;
        write(ws(file),
              QString(QStringLiteral("R2_ACCESS_KEY_ID=") + u.accessKeyId +
                      QStringLiteral("\nR2_SECRET_ACCESS_KEY=") + u.secret +
                      QStringLiteral("\nCF_ACCESS_CLIENT_ID=") + clientId +
                      QStringLiteral("\nCF_ACCESS_CLIENT_SECRET=") + clientSecret + QLatin1Char('\n'))
                  .toUtf8());
    }
    void config(const QString &env, const QJsonObject &changes)
    {
        QJsonObject c = changes;
        c.insert(QStringLiteral("env"), env);
        QVERIFY2(m_worker.control(QStringLiteral("config"), c), "the stand-in refused a configuration");
    }
    void prepare(const QString &era)
    {
        QVERIFY(m_worker.control(QStringLiteral("reset"), {}));
        for (const char *b : {"moltbot-data", "moltbot-data-development", "moltbot-data-production"})
            QVERIFY(m_worker.control(QStringLiteral("wipe"), {{QStringLiteral("bucket"), QLatin1String(b)}}));
        for (const char *e : {"development", "production", "legacy"}) {
            config(QLatin1String(e), {{QStringLiteral("era"), era}, {QStringLiteral("bootSeconds"), 0.6}});
            QVERIFY(m_worker.control(QStringLiteral("seed"), {{QStringLiteral("env"), QLatin1String(e)}}));
        }
    }
    // What a bucket holds, read by moltctl itself with the environment's own keys.
    QStringList keys(const QString &env)
    {
        const Run r = run({QStringLiteral("ls"), env, QStringLiteral("--json")});
        QStringList out;
        const QJsonDocument d = QJsonDocument::fromJson(r.out);
        const QJsonArray objects =
            d.isArray() ? d.array() : d.object().value(QLatin1String("objects")).toArray();
        for (const QJsonValue &o : objects)
            out << o.toObject().value(QLatin1String("key")).toString();
        out.sort();
        return out;
    }
    int counter(const QString &env, const char *name) const { return m_worker.counter(env, name); }
    static QJsonArray liveFindings(const Run &r)
    {
        QJsonArray out;
        for (const QJsonValue &f : r.json().value(QLatin1String("findings")).toArray()) {
            if (f.toObject().value(QLatin1String("check")).toString() == QLatin1String("live"))
                out.append(f);
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        MOLTDESK_REQUIRE_SERVER(m_server);
        MOLTDESK_REQUIRE_WORKER(m_worker);
        qInfo("rsync era mounts: %s", qPrintable(m_worker.state(QStringLiteral("development"))
                                                     .value(QLatin1String("config"))
                                                     .toObject()
                                                     .value(QLatin1String("mount"))
                                                     .toString()));
        // One folder for the whole run, so the secrets check at the end searches every file written.
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }
    void init()
    {
        writeProfile(m_worker.urls());
        writeVars(QStringLiteral("development"), QStringLiteral("dev"),
                  m_worker.clientId(QStringLiteral("development")),
                  m_worker.clientSecret(QStringLiteral("development")));
        writeVars(QStringLiteral("production"), QStringLiteral("prod"),
                  m_worker.clientId(QStringLiteral("production")),
                  m_worker.clientSecret(QStringLiteral("production")));
        writeVars(QStringLiteral("legacy"), QStringLiteral("legacy"),
                  m_worker.clientId(QStringLiteral("legacy")),
                  m_worker.clientSecret(QStringLiteral("legacy")));
    }

    void syncStatusRestartPersistence_data()
    {
        QTest::addColumn<QString>("era");
        QTest::newRow("rsync") << QStringLiteral("rsync");
        QTest::newRow("rclone") << QStringLiteral("rclone");
        QTest::newRow("rsync-emulated") << QStringLiteral("rsync");
    }
    void syncStatusRestartPersistence()
    {
        QFETCH(QString, era);
        prepare(era);
        const bool rsync = era == QLatin1String("rsync");
        if (QByteArray(QTest::currentDataTag()) == "rsync-emulated") // the stand-in's fallback without FUSE
            config(QStringLiteral("development"), {{QStringLiteral("mount"), QStringLiteral("emulated")}});

        Run r = run({QStringLiteral("worker"), QStringLiteral("sync"), QStringLiteral("development"),
                     QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.all().constData());
        QCOMPARE(r.json().value(QLatin1String("era")).toString(), era);
        QVERIFY(!r.json().value(QLatin1String("claimedLastSync")).toString().isEmpty());
        QCOMPARE(counter(QStringLiteral("development"), "syncs"), 1);
        // The bucket holds the era's layout, excludes honoured where the era has them.
        const QStringList k = keys(QStringLiteral("development"));
        if (rsync) {
            for (const char *key :
                 {".last-sync", "clawdbot/clawdbot.json", "clawdbot/devices/paired.json",
                  "skills/hello/SKILL.md", "clawdbot/gateway.lock"}) // the seed's rsync has no excludes
                QVERIFY2(
                    k.contains(QLatin1String(key)),
                    qPrintable(QLatin1String(key) + QStringLiteral(" missing: ") + k.join(QLatin1Char(' '))));
        } else {
            for (const char *key : {"openclaw/openclaw.json", "openclaw/devices/paired.json",
                                    "workspace/notes.md", "skills/hello/SKILL.md"})
                QVERIFY2(
                    k.contains(QLatin1String(key)),
                    qPrintable(QLatin1String(key) + QStringLiteral(" missing: ") + k.join(QLatin1Char(' '))));
            QVERIFY(!k.contains(QStringLiteral("openclaw/gateway.lock"))); // *.lock excluded
            QVERIFY(!k.contains(QStringLiteral(".last-sync")));            // upstream keeps it in /tmp
            QVERIFY(std::none_of(k.begin(), k.end(), [](const QString &x) {
                return x.startsWith(QLatin1String("workspace/skills/"));
            }));
        }
        QVERIFY(keys(QStringLiteral("production")).isEmpty()); // nothing written next door

        r = run({QStringLiteral("worker"), QStringLiteral("status"), QStringLiteral("development"),
                 QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.all().constData());
        const QJsonObject s = r.json().value(QLatin1String("workers")).toArray().first().toObject();
        QCOMPARE(s.value(QLatin1String("gateway")).toObject().value(QLatin1String("status")).toString(),
                 QStringLiteral("running"));
        QCOMPARE(s.value(QLatin1String("storage")).toObject().value(QLatin1String("configured")).toBool(),
                 true);
        QCOMPARE(s.value(QLatin1String("devices")).toObject().value(QLatin1String("paired")).toInt(), 1);
        QCOMPARE(s.value(QLatin1String("devices")).toObject().value(QLatin1String("pending")).toInt(), 1);
        QCOMPARE(s.value(QLatin1String("health")).toString(), QStringLiteral("ok"));
        const QString container =
            s.value(QLatin1String("storage")).toObject().value(QLatin1String("lastSync")).toString();
        if (rsync)
            QCOMPARE(
                s.value(QLatin1String("bucketLastSync")).toObject().value(QLatin1String("raw")).toString(),
                container);
        else
            QVERIFY(s.value(QLatin1String("notes"))
                        .toArray()
                        .first()
                        .toString()
                        .contains(QLatin1String("rclone era")));

        // The status table shows the container's last sync next to the bucket's, and agrees.
        r = run({QStringLiteral("status"), QStringLiteral("--json")});
        for (const QJsonValue &v : r.json().value(QLatin1String("environments")).toArray()) {
            const QJsonObject row = v.toObject();
            if (row.value(QLatin1String("environment")).toString() != QLatin1String("development"))
                continue;
            QCOMPARE(row.value(QLatin1String("deployment"))
                         .toObject()
                         .value(QLatin1String("containerLastSync"))
                         .toString(),
                     container);
            QVERIFY2(!QJsonDocument(row.value(QLatin1String("problems")).toArray())
                          .toJson()
                          .contains("writes somewhere else"),
                     r.out.constData());
        }

        r = run({QStringLiteral("worker"), QStringLiteral("restart"), QStringLiteral("development"),
                 QStringLiteral("--wait")});
        QVERIFY2(r.code == 0, r.all().constData());
        QVERIFY2(r.out.contains("running again as"), r.out.constData());
        QCOMPARE(counter(QStringLiteral("development"), "restarts"), 1);
        QCOMPARE(counter(QStringLiteral("development"), "restores"), 1); // restored from its own bucket

        r = run(
            {QStringLiteral("worker"), QStringLiteral("check-persistence"), QStringLiteral("development")});
        QVERIFY2(r.code == 0, r.all().constData());
        QVERIFY2(r.out.contains("data persists: 1 paired device(s)"), r.out.constData());
    }

    void miswiredWriteCaught_data()
    {
        QTest::addColumn<QString>("era");
        QTest::newRow("rsync") << QStringLiteral("rsync");
        QTest::newRow("rclone") << QStringLiteral("rclone");
    }
    void miswiredWriteCaught()
    {
        QFETCH(QString, era);
        prepare(era);
        if (era == QLatin1String("rsync")) {
            // A good backup first: the bucket then holds an older .last-sync the mis-wired one leaves behind.
            QCOMPARE(
                run({QStringLiteral("worker"), QStringLiteral("sync"), QStringLiteral("development")}).code,
                0);
            QTest::qWait(1100);
        }
        config(QStringLiteral("development"),
               {{QStringLiteral("writeBucket"), QStringLiteral("moltbot-data-production")}});
        Run r = run({QStringLiteral("worker"), QStringLiteral("sync"), QStringLiteral("development")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("the container writes somewhere else"), r.err.constData());
        QVERIFY(!keys(QStringLiteral("production")).isEmpty()); // it really did write next door

        // The live probe names the bucket that changed.
        QVERIFY(m_worker.control(QStringLiteral("wipe"),
                                 {{QStringLiteral("bucket"), QStringLiteral("moltbot-data-production")}}));
        r = run({QStringLiteral("verify"), QStringLiteral("--live"), QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        bool caught = false;
        for (const QJsonValue &v : liveFindings(r)) {
            const QJsonObject f = v.toObject();
            if (f.value(QLatin1String("environment")).toString() == QLatin1String("development") &&
                f.value(QLatin1String("severity")).toString() == QLatin1String("failure") &&
                f.value(QLatin1String("title"))
                    .toString()
                    .contains(QLatin1String("changed moltbot-data-production")))
                caught = true;
        }
        QVERIFY2(caught, QJsonDocument(liveFindings(r)).toJson().constData());

        // And the joined status, once the container's claim runs days ahead of its bucket (rsync era).
        if (era == QLatin1String("rsync")) {
            QVERIFY(
                m_worker.control(QStringLiteral("put"),
                                 {{QStringLiteral("bucket"), QStringLiteral("moltbot-data-development")},
                                  {QStringLiteral("key"), QStringLiteral(".last-sync")},
                                  {QStringLiteral("body"), QStringLiteral("2026-02-03T18:02:11+00:00\n")}}));
            r = run({QStringLiteral("worker"), QStringLiteral("status"), QStringLiteral("development")});
            QCOMPARE(r.code, 1);
            QVERIFY2(r.out.contains("FAILURE: the container says it backed up at") &&
                         r.out.contains("Phase 1/2"),
                     r.out.constData());
            // `moltctl status` joins both views too: the development row is a failure, with the reason.
            r = run({QStringLiteral("status"), QStringLiteral("--json")});
            QCOMPARE(r.code, 0);
            bool seen = false;
            for (const QJsonValue &v : r.json().value(QLatin1String("environments")).toArray()) {
                const QJsonObject row = v.toObject();
                if (row.value(QLatin1String("environment")).toString() != QLatin1String("development"))
                    continue;
                seen = true;
                QCOMPARE(row.value(QLatin1String("health")).toString(), QStringLiteral("failure"));
                QVERIFY(QJsonDocument(row.value(QLatin1String("problems")).toArray())
                            .toJson()
                            .contains("Phase 1/2"));
                QCOMPARE(row.value(QLatin1String("deployment"))
                             .toObject()
                             .value(QLatin1String("gateway"))
                             .toString(),
                         QStringLiteral("running"));
                QVERIFY(!row.value(QLatin1String("deployment"))
                             .toObject()
                             .value(QLatin1String("containerLastSync"))
                             .toString()
                             .isEmpty());
            }
            QVERIFY(seen);
        }
    }

    void liveProbe()
    {
        prepare(QStringLiteral("rsync"));
        // Production in the other era: its container is seeded again with that era's layout.
        QVERIFY(m_worker.control(QStringLiteral("reset"),
                                 {{QStringLiteral("env"), QStringLiteral("production")}}));
        config(QStringLiteral("production"), {{QStringLiteral("era"), QStringLiteral("rclone")}});
        QVERIFY(m_worker.control(QStringLiteral("seed"),
                                 {{QStringLiteral("env"), QStringLiteral("production")}}));
        Run r = run({QStringLiteral("verify"), QStringLiteral("--live"), QStringLiteral("--json")});
        QMap<QString, QString> severity;
        for (const QJsonValue &v : liveFindings(r))
            severity.insert(v.toObject().value(QLatin1String("environment")).toString(),
                            v.toObject().value(QLatin1String("severity")).toString());
        QCOMPARE(severity.value(QStringLiteral("development")), QStringLiteral("ok"));
        QCOMPARE(severity.value(QStringLiteral("(legacy)")), QStringLiteral("ok"));
        QCOMPARE(severity.value(QStringLiteral("production")),
                 QStringLiteral("not-checked")); // never ok
        QCOMPARE(counter(QStringLiteral("production"), "syncs"), 0);
        r = run({QStringLiteral("verify"), QStringLiteral("--live"), QStringLiteral("--confirm"),
                 QStringLiteral("production"), QStringLiteral("--json")});
        for (const QJsonValue &v : liveFindings(r))
            QVERIFY2(v.toObject().value(QLatin1String("severity")).toString() == QLatin1String("ok"),
                     QJsonDocument(v.toObject()).toJson().constData());
        QCOMPARE(liveFindings(r).size(), 3);
        QCOMPARE(counter(QStringLiteral("production"), "syncs"), 1);
    }

    void miswiredRestoreCaught_data() { miswiredWriteCaught_data(); }
    void miswiredRestoreCaught()
    {
        QFETCH(QString, era);
        prepare(era);
        config(QStringLiteral("development"),
               {{QStringLiteral("restoreBucket"), QStringLiteral("moltbot-data")}});
        const Run r = run(
            {QStringLiteral("worker"), QStringLiteral("check-persistence"), QStringLiteral("development")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("paired devices lost across the restart: dev-development"),
                 r.err.constData());
    }

    void productionNeedsConfirmation()
    {
        prepare(QStringLiteral("rsync"));
        for (const char *cmd : {"sync", "restart", "check-persistence"}) {
            const Run r = run({QStringLiteral("worker"), QLatin1String(cmd), QStringLiteral("production")});
            QCOMPARE(r.code, 3);
            QVERIFY2(r.err.contains("--confirm production"), r.err.constData());
        }
        QCOMPARE(counter(QStringLiteral("production"), "syncs"), 0);
        QCOMPARE(counter(QStringLiteral("production"), "restarts"), 0);
        const Run r = run({QStringLiteral("worker"), QStringLiteral("sync"), QStringLiteral("production"),
                           QStringLiteral("--confirm"), QStringLiteral("production")});
        QVERIFY2(r.code == 0, r.all().constData());
        QCOMPARE(counter(QStringLiteral("production"), "syncs"), 1);
    }

    void failureReplies_data()
    {
        QTest::addColumn<QJsonObject>("config");
        QTest::addColumn<QString>("tokenSecret"); // "" for the right one
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const auto fault = [](const char *f) {
            return QJsonObject{{QStringLiteral("fault"), QLatin1String(f)}};
        };
        QTest::newRow("login-redirect") << fault("login-redirect") << QString() << 1
                                        << "Cloudflare Access sent the request to its login page";
        QTest::newRow("wrong-token-redirect")
            << QJsonObject{} << "wrong" << 1 << "the service token was not accepted";
        QTest::newRow("wrong-token-403")
            << QJsonObject{{QStringLiteral("accessRejects"), QStringLiteral("forbidden")}} << "wrong" << 1
            << "Cloudflare Access refused the service token (403)";
        QTest::newRow("forbidden") << fault("forbidden") << QString() << 1
                                   << "refused the service token (403)";
        QTest::newRow("no-jwt") << fault("no-jwt") << QString() << 1
                                << "got no Cloudflare Access identity (401";
        QTest::newRow("access-not-configured")
            << fault("access-not-configured") << QString() << 1 << "Cloudflare Access is not configured";
        QTest::newRow("html") << fault("html") << QString() << 1 << "an HTML page where JSON belongs";
        QTest::newRow("slow") << QJsonObject{{QStringLiteral("fault"), QStringLiteral("slow")},
                                             {QStringLiteral("slowSeconds"), 8}}
                              << QString() << 1 << "timed out";
        QTest::newRow("cutoff") << fault("cutoff") << QString() << 1 << "cut off";
        QTest::newRow("oversize") << fault("oversize") << QString() << 1 << "larger than 1048576 bytes";
        QTest::newRow("not-deployed")
            << fault("not-deployed") << QString() << 1 << "no worker is deployed there";
        QTest::newRow("server-error") << fault("server-error") << QString() << 1
                                      << "the worker answered 500: Internal error (sandbox unavailable)";
        QTest::newRow("r2-not-configured") << QJsonObject{{QStringLiteral("r2Configured"), false}}
                                           << QString() << 1 << "answered 400: R2 storage is not configured";
        QTest::newRow("no-token") << QJsonObject{} << "none" << 1
                                  << "no Cloudflare Access service token for development";
    }
    void failureReplies()
    {
        QFETCH(QJsonObject, config);
        QFETCH(QString, tokenSecret);
        QFETCH(int, code);
        QFETCH(QString, message);
        prepare(QStringLiteral("rsync"));
        QJsonObject c = config;
        c.insert(QStringLiteral("faultMatch"), QStringLiteral("/api/admin/storage/sync"));
        this->config(QStringLiteral("development"), c);
        if (tokenSecret == QLatin1String("wrong"))
            writeVars(QStringLiteral("development"), QStringLiteral("dev"),
                      m_worker.clientId(QStringLiteral("development")),
                      QStringLiteral("0123456789abcdef-not-the-secret"));
        else if (tokenSecret == QLatin1String("none")) {
            // No token in .dev.vars.development nor in the shared .dev.vars the chain falls back to.
            writeVars(QStringLiteral("development"), QStringLiteral("dev"), {}, {});
            writeVars(QStringLiteral("legacy"), QStringLiteral("legacy"), {}, {});
        }
        QElapsedTimer t;
        t.start();
        const Run r = run({QStringLiteral("worker"), QStringLiteral("sync"), QStringLiteral("development"),
                           QStringLiteral("--timeout"), QStringLiteral("3")});
        QVERIFY2(r.code == code, r.all().constData());
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QVERIFY2(t.elapsed() < 30000, "a failure reply must not hang the command");
        QVERIFY(!r.all().contains(m_worker.clientSecret(QStringLiteral("development")).toUtf8()));
        if (tokenSecret == QLatin1String("none")) {
            // Without a token the public status route still shows the gateway; the admin routes say why not.
            const Run st =
                run({QStringLiteral("worker"), QStringLiteral("status"), QStringLiteral("development")});
            QCOMPARE(st.code, 1);
            QVERIFY2(st.out.contains("gateway: running") &&
                         st.out.contains("no Cloudflare Access service token"),
                     st.out.constData());
        }
    }

    void redirectIsNeverFollowed()
    {
        prepare(QStringLiteral("rsync"));
        config(QStringLiteral("development"), {{QStringLiteral("fault"), QStringLiteral("login-redirect")},
                                               {QStringLiteral("loginLocation"), m_worker.trap()}});
        const Run r =
            run({QStringLiteral("worker"), QStringLiteral("status"), QStringLiteral("development")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.out.contains("not followed"), r.out.constData());
        QCOMPARE(m_worker.state(QStringLiteral("development")).value(QLatin1String("trapHits")).toInt(), 0);
        // The token went only with admin requests, never with the public status route.
        for (const QJsonValue &v :
             m_worker.state(QStringLiteral("development")).value(QLatin1String("requests")).toArray()) {
            const QJsonObject q = v.toObject();
            const bool admin =
                q.value(QLatin1String("path")).toString().startsWith(QLatin1String("/api/admin/")) ||
                q.value(QLatin1String("path")).toString().startsWith(QLatin1String("/debug/"));
            QCOMPARE(q.value(QLatin1String("hadClientSecret")).toBool(), admin);
        }
    }

    void badConfiguration_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("plain-http") << "http://worker.example.com" << 2 << "must be https://";
        QTest::newRow("with-path") << "https://worker.example.com/admin" << 2 << "no path";
        QTest::newRow("not-a-url") << "::nope" << 2 << "not a URL with a host";
        QTest::newRow("unreachable") << "http://127.0.0.1:9" << 1
                                     << "is the worker deployed at this address?";
        QTest::newRow("no-worker") << "" << 2 << "no worker is known for development";
    }
    void badConfiguration()
    {
        QFETCH(QString, url);
        QFETCH(int, code);
        QFETCH(QString, message);
        // "": the profile names no worker for development (only legacy's), and sync is asked for it.
        writeProfile(url.isEmpty()
                         ? QJsonObject{{QStringLiteral("legacy"), m_worker.url(QStringLiteral("legacy"))}}
                         : QJsonObject{{QStringLiteral("development"), url}});
        const Run r =
            run({QStringLiteral("worker"), url.isEmpty() ? QStringLiteral("sync") : QStringLiteral("status"),
                 QStringLiteral("development")});
        QVERIFY2(r.code == code, r.all().constData());
        QVERIFY2(r.all().contains(message.toUtf8()), r.all().constData());
    }

    void debugRoutesUsedWhenPresent()
    {
        prepare(QStringLiteral("rclone"));
        config(QStringLiteral("development"), {{QStringLiteral("debugRoutes"), true}});
        const Run r = run({QStringLiteral("worker"), QStringLiteral("status"), QStringLiteral("development"),
                           QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.all().constData());
        const QJsonObject s = r.json().value(QLatin1String("workers")).toArray().first().toObject();
        QCOMPARE(
            s.value(QLatin1String("debugEnv")).toObject().value(QLatin1String("has_r2_access_key")).toBool(),
            true);
        config(QStringLiteral("development"), {{QStringLiteral("r2Configured"), false}});
        const Run n =
            run({QStringLiteral("worker"), QStringLiteral("status"), QStringLiteral("development")});
        QCOMPARE(n.code, 1);
        QVERIFY2(n.out.contains(
                     "R2: not configured, missing R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, CF_ACCOUNT_ID"),
                 n.out.constData());
    }

    // Runs last: every byte printed by every run above, and every file this test's moltctl wrote.
    void zz_noSecretAnywhere()
    {
        prepare(QStringLiteral("rsync"));
        run({QStringLiteral("worker"), QStringLiteral("status"), QStringLiteral("--json")});
        run({QStringLiteral("worker"), QStringLiteral("check-persistence"), QStringLiteral("development"),
             QStringLiteral("--json")});
        run({QStringLiteral("worker"), QStringLiteral("token"), QStringLiteral("set"),
             QStringLiteral("development")},
            QString(QStringLiteral("CF_ACCESS_CLIENT_ID=x\nCF_ACCESS_CLIENT_SECRET=") +
                    m_worker.clientSecret(QStringLiteral("development")) + QLatin1Char('\n'))
                .toUtf8());
        QStringList secrets;
        for (const char *e : {"development", "production", "legacy"})
            secrets << m_worker.clientSecret(QLatin1String(e));
        for (const char *u : {"dev", "prod", "legacy", "admin", "leaky"})
            secrets << m_server.user(QLatin1String(u)).secret;
        QVERIFY2(m_allOutput.size() > 20000, "too little output for the search to mean anything");
        QVERIFY(
            m_allOutput.contains(m_worker.url(QStringLiteral("development")).toUtf8())); // the search works
        for (const QString &s : std::as_const(secrets)) {
            QVERIFY(s.size() >= 16);
            QVERIFY2(!m_allOutput.contains(s.toUtf8()), "a secret was printed or logged");
        }
        QList<QByteArray> secretBytes;
        for (const QString &s : std::as_const(secrets))
            secretBytes << s.toUtf8();
        const SecretScan scan = scanForSecrets(m_dir->path(), secretBytes);
        QVERIFY2(scan.findings.isEmpty(), qPrintable(scan.findings.join(QLatin1Char('\n'))));
        const int searched = scan.searched;
        qInfo("searched %lld bytes of output and %d files", qint64(m_allOutput.size()), searched);
    }
};

QTEST_GUILESS_MAIN(TestWorker)
#include "tst_worker_s3.moc"
