// The bad-input corpus: every case is a real moltctl run on hostile or broken input, with the exit
// code and message an operator should see. None may crash, hang, or write outside its place.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QByteArray kGoodMount =
    "{\"environments\":[\"development\",\"production\"],\"storage\":{\"type\":\"mount\",\"root\":\"data\"},\n"
    " \"syncSets\":[{\"local\":\"src/clawdbot\",\"prefix\":\"clawdbot/\"}]}";
const QByteArray kGoodS3 = "{\"environments\":[\"development\"],\"storage\":{\"type\":\"s3\",\"endpoint\":"
                           "\"https://127.0.0.1:1\"},\n"
                           " \"syncSets\":[{\"local\":\"src/clawdbot\",\"prefix\":\"clawdbot/\"}]}";
} // namespace

using Files = QMap<QString, QByteArray>;
Q_DECLARE_METATYPE(Files)

class TestBadInput : public QObject
{
    Q_OBJECT
private slots:
    void corpus_data()
    {
        QTest::addColumn<Files>("files");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const auto with = [](const QByteArray &profile, Files extra = {}) {
            extra.insert(QStringLiteral("p.json"), profile);
            return extra;
        };
        const QStringList status{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                                 QStringLiteral("status")};
        const QStringList sync{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                               QStringLiteral("--no-keychain"), QStringLiteral("sync"),
                               QStringLiteral("development")};

        // Profiles
        QTest::newRow("profile: empty file") << with("") << status << 2 << "end of file";
        QTest::newRow("profile: syntax error")
            << with("{\"storage\": {\"type\": \"mount\" \"root\": 1}}") << status << 2 << "line 1";
        QTest::newRow("profile: array") << with("[]") << status << 2 << "must be a JSON object";
        QTest::newRow("profile: wrong type environments")
            << with("{\"environments\": {\"a\": 1}, \"storage\": {\"type\":\"mount\",\"root\":\"d\"}}")
            << status << 2 << "must be an array";
        QTest::newRow("profile: number as storage")
            << with("{\"storage\": 5}") << status << 2 << "\"storage\" must be an object";
        QTest::newRow("profile: missing storage")
            << with("{\"environments\": [\"a1\"]}") << status << 2 << "\"storage\" is missing";
        QTest::newRow("profile: deep nesting")
            << with(QByteArray(5000, '[') + QByteArray(5000, ']')) << status << 2 << "nesting deeper";
        QTest::newRow("profile: huge")
            << with("{\"x\": \"" + QByteArray(9 * 1024 * 1024, 'a') + "\"}") << status << 2 << "bytes";
        QTest::newRow("profile: binary garbage")
            << with(QByteArray("\x00\xff\xfe{", 4)) << status << 2 << "line 1";
        QTest::newRow("profile: no environments")
            << with("{\"includeLegacy\": false, \"storage\": {\"type\":\"mount\",\"root\":\"d\"}}") << status
            << 2 << "names no environment";
        QTest::newRow("profile: bad storage type")
            << with("{\"storage\": {\"type\":\"ftp\"}}") << status << 2 << "storage.type must be";
        QTest::newRow("profile: root missing")
            << with("{\"storage\": {\"type\":\"mount\"}}") << status << 2 << "storage.root";
        // Environment names
        for (const char *bad : {"Prod", "../prod", "dev prod", "dev;rm", "-dev", "dev-", "d_v", "dév"}) {
            QTest::newRow(qPrintable(QStringLiteral("env name: %1").arg(QString::fromUtf8(bad))))
                << with(QByteArray("{\"environments\":[\"") + bad +
                        "\"],\"storage\":{\"type\":\"mount\",\"root\":\"d\"}}")
                << status << 2 << "allowed are";
        }
        QTest::newRow("env name: 64 chars") << with("{\"environments\":[\"" + QByteArray(64, 'a') +
                                                    "\"],\"storage\":{\"type\":\"mount\",\"root\":\"d\"}}")
                                            << status << 2 << "too long";
        QTest::newRow("env name on command line")
            << with(kGoodMount)
            << QStringList{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                           QStringLiteral("sync"), QStringLiteral("dev;rm -rf /")}
            << 2 << "allowed are";
        // wrangler.jsonc
        const QByteArray wranglerProfile =
            "{\"wrangler\":\"w.jsonc\",\"storage\":{\"type\":\"mount\",\"root\":\"d\"}}";
        QTest::newRow("wrangler: missing file")
            << with(wranglerProfile) << status << 2 << "cannot read wrangler config";
        QTest::newRow("wrangler: unclosed comment")
            << with(wranglerProfile, {{QStringLiteral("w.jsonc"), "{ /* never closed\n"}}) << status << 2
            << "comment opened on line 1";
        QTest::newRow("wrangler: missing comma")
            << with(wranglerProfile, {{QStringLiteral("w.jsonc"), "{\n\"env\": {\n\"a\": {}\n\"b\": {}\n}}"}})
            << status << 2 << "line 4";
        QTest::newRow("wrangler: env is array")
            << with(wranglerProfile, {{QStringLiteral("w.jsonc"), "{\"env\": [1]}"}}) << status << 2
            << "\"env\" must be an object";
        QTest::newRow("wrangler: bad ENVIRONMENT")
            << with(wranglerProfile, {{QStringLiteral("w.jsonc"),
                                       "{\"env\": {\"p\": {\"vars\": {\"ENVIRONMENT\": \"Prod\"}}}}"}})
            << status << 2 << "uppercase";
        QTest::newRow("wrangler: deep")
            << with(wranglerProfile, {{QStringLiteral("w.jsonc"), "{\"a\": " + QByteArray(3000, '[')}})
            << status << 2 << "nesting deeper";
        // Credentials and endpoints (S3 mode)
        QTest::newRow("credentials: none")
            << with(kGoodS3, {{QStringLiteral("src/clawdbot/clawdbot.json"), "{}"}}) << sync << 1
            << "missing R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY";
        QTest::newRow("credentials: blank secret")
            << with(kGoodS3, {{QStringLiteral(".dev.vars"), "R2_ACCESS_KEY_ID=abc\nR2_SECRET_ACCESS_KEY=\n"},
                              {QStringLiteral("src/clawdbot/clawdbot.json"), "{}"}})
            << sync << 1 << "R2_SECRET_ACCESS_KEY";
        QTest::newRow("credentials: broken .dev.vars")
            << with(kGoodS3, {{QStringLiteral(".dev.vars.development"), "R2_ACCESS_KEY_ID=\"unterminated\n"},
                              {QStringLiteral("src/clawdbot/clawdbot.json"), "{}"}})
            << status << 0 << "never closed";
        QTest::newRow("endpoint: not a URL")
            << with(
                   "{\"storage\":{\"type\":\"s3\",\"endpoint\":\"::not a url::\"},\"environments\":[\"a1\"]}")
            << status << 2 << "not an http(s) URL";
        QTest::newRow("endpoint: no scheme") << with("{\"storage\":{\"type\":\"s3\",\"endpoint\":\"r2."
                                                     "example.com\"},\"environments\":[\"a1\"]}")
                                             << status << 2 << "not an http(s) URL";
        QTest::newRow("endpoint: plain http R2 warned")
            << with("{\"storage\":{\"type\":\"s3\",\"endpoint\":\"http://"
                    "x.r2.cloudflarestorage.com\"},\"environments\":[\"a1\"],\"includeLegacy\":false}")
            << status << 0 << "plain http";
        QTest::newRow("endpoint: no account id")
            << with("{\"storage\":{\"type\":\"s3\"},\"environments\":[\"development\"]}",
                    {{QStringLiteral(".dev.vars"), "R2_ACCESS_KEY_ID=a\nR2_SECRET_ACCESS_KEY=b\n"},
                     {QStringLiteral("src/clawdbot/clawdbot.json"), "{}"}})
            << QStringList{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                           QStringLiteral("--no-keychain"), QStringLiteral("ls"),
                           QStringLiteral("development")}
            << 2 << "no S3 endpoint";
        QTest::newRow("endpoint: unreachable")
            << with(kGoodS3, {{QStringLiteral(".dev.vars"), "R2_ACCESS_KEY_ID=a\nR2_SECRET_ACCESS_KEY=b\n"}})
            << QStringList{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                           QStringLiteral("--no-keychain"), QStringLiteral("ls"),
                           QStringLiteral("development")}
            << 1 << "";
        // Local trees
        QTest::newRow("tree: source missing, bucket has data")
            << with(kGoodMount,
                    {{QStringLiteral("data/data/moltbot-development/clawdbot/clawdbot.json"), "{}"}})
            << sync << 3 << "does not exist";
        QTest::newRow("tree: no config file")
            << with(kGoodMount,
                    {{QStringLiteral("data/data/moltbot-development/clawdbot/clawdbot.json"), "{}"},
                     {QStringLiteral("src/clawdbot/other.json"), "{}"}})
            << sync << 3 << "has no clawdbot.json";
        QTest::newRow("tree: symlink loop and outside link skipped")
            << with(kGoodMount, {{QStringLiteral("src/clawdbot/clawdbot.json"), "{}"},
                                 {QStringLiteral("@link:src/clawdbot/loop"), "."},
                                 {QStringLiteral("@link:src/clawdbot/etc"), "/etc"},
                                 {QStringLiteral("@mkdir:data/data/moltbot-development"), ""}})
            << sync << 0 << "skipped symbolic link";
        QTest::newRow("tree: source is a file")
            << with(kGoodMount, {{QStringLiteral("src/clawdbot"), "not a folder"}}) << sync << 2
            << "is not a folder";
        QTest::newRow("restore: target is a file")
            << with(kGoodMount,
                    {{QStringLiteral("target"), "x"},
                     {QStringLiteral("data/data/moltbot-development/clawdbot/clawdbot.json"), "{}"}})
            << QStringList{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                           QStringLiteral("restore"),   QStringLiteral("development"),
                           QStringLiteral("--to"),      QStringLiteral("{dir}/target")}
            << 2 << "is not a folder";
        QTest::newRow("restore: unreadable .last-sync in bucket")
            << with(kGoodMount,
                    {{QStringLiteral("data/data/moltbot-development/clawdbot/clawdbot.json"), "{}"},
                     {QStringLiteral("data/data/moltbot-development/.last-sync"), "last tuesday"}})
            << QStringList{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                           QStringLiteral("restore"),   QStringLiteral("development"),
                           QStringLiteral("--to"),      QStringLiteral("{dir}/t")}
            << 2 << "--force";
        QTest::newRow("restore: file size limit (ulimit -f)")
            << with(kGoodMount, {{QStringLiteral("data/data/moltbot-development/clawdbot/clawdbot.json"),
                                  QByteArray(200000, 'x')},
                                 {QStringLiteral("@ulimit"), "50"}})
            << QStringList{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                           QStringLiteral("restore"),   QStringLiteral("development"),
                           QStringLiteral("--to"),      QStringLiteral("{dir}/t")}
            << 1 << "the target was not changed";
        QTest::newRow("migrate: legacy name as destination")
            << with(kGoodMount)
            << QStringList{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                           QStringLiteral("migrate"), QStringLiteral("legacy")}
            << 2 << "name one";
        QTest::newRow("stamp: foreign marker")
            << with(kGoodMount, {{QStringLiteral("data/data/moltbot-development/.moltdesk-environment"),
                                  "{\"environment\":\"production\",\"bucket\":\"moltbot-data-production\"}"}})
            << QStringList{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                           QStringLiteral("stamp"), QStringLiteral("development")}
            << 3 << "cross-wired";
        QTest::newRow("stamp: unreadable marker, no --force")
            << with(kGoodMount,
                    {{QStringLiteral("data/data/moltbot-development/.moltdesk-environment"), "\x01\x02"}})
            << QStringList{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                           QStringLiteral("stamp"), QStringLiteral("development")}
            << 3 << "--force";
        QTest::newRow("sync: unreadable marker")
            << with(kGoodMount,
                    {{QStringLiteral("data/data/moltbot-development/.moltdesk-environment"), "[]"},
                     {QStringLiteral("src/clawdbot/clawdbot.json"), "{}"}})
            << sync << 3 << "cannot be read";
        QTest::newRow("credentials set: empty stdin")
            << with(kGoodMount)
            << QStringList{QStringLiteral("--profile"), QStringLiteral("{dir}/p.json"),
                           QStringLiteral("credentials"), QStringLiteral("set"),
                           QStringLiteral("development")}
            << 2 << "must set R2_ACCESS_KEY_ID";
    }

    void corpus()
    {
        QFETCH(Files, files);
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QString ulimit;
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            QString name = it.key();
            if (name == QLatin1String("@ulimit")) {
                ulimit = QString::fromLatin1(it.value());
                continue;
            }
            if (name.startsWith(QLatin1String("@mkdir:"))) {
                QDir().mkpath(dir.filePath(name.mid(7)));
                continue;
            }
            const bool link = name.startsWith(QLatin1String("@link:"));
            if (link)
                name = name.mid(6);
            const QString path = dir.filePath(name);
            QDir().mkpath(QFileInfo(path).absolutePath());
            if (link) {
                QVERIFY(QFile::link(QString::fromUtf8(it.value()), path));
                continue;
            }
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(it.value());
        }
        QStringList realArgs;
        for (const QString &a : args)
            realArgs << QString(a).replace(QLatin1String("{dir}"), dir.path());
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("xdg-data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("xdg-cache")));
        for (const char *v :
             {"R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY", "CF_ACCOUNT_ID", "MOLTDESK_PROFILE"})
            env.remove(QLatin1String(v));
        p.setProcessEnvironment(env);
        if (ulimit.isEmpty()) {
            p.start(qEnvironmentVariable("MOLTCTL"), realArgs);
        } else {
            QStringList sh{QStringLiteral("-c"),
                           QStringLiteral("ulimit -f %1; exec \"$0\" \"$@\"").arg(ulimit),
                           qEnvironmentVariable("MOLTCTL")};
            p.start(QStringLiteral("sh"), sh + realArgs);
        }
        p.closeWriteChannel();
        QVERIFY2(p.waitForFinished(60000), "moltctl hung");
        // Messages go to stderr, reports (status notes among them) to stdout: search both.
        const QString err = QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit); // no crash, no signal
        QVERIFY2(p.exitCode() == code,
                 qPrintable(QStringLiteral("exit %1, expected %2: %3").arg(p.exitCode()).arg(code).arg(err)));
        QVERIFY2(err.contains(message), qPrintable(err));
        QVERIFY(!err.contains(QLatin1String("Segmentation")));
    }

    // Server replies: moltctl against tests/support/hostile/hostile_s3.py, which answers every request
    // with one scenario's broken reply. A restore must never write outside its target.
    void hostileServer_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("command");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const auto row = [](const char *scenario, const char *command, int code, const char *message) {
            QTest::newRow(qPrintable(
                QStringLiteral("server: %1 (%2)").arg(QLatin1String(scenario), QLatin1String(command))))
                << QString::fromLatin1(scenario) << QString::fromLatin1(command) << code
                << QString::fromUtf8(message);
        };
        row("malformed-xml", "ls", 1, "the server sent a malformed reply: XML error at line 2");
        row("html-200", "ls", 1, "an HTML page instead of S3 XML");
        row("entity-expansion", "ls", 1, "it declares a DTD or entities, which S3 never does");
        row("truncated-no-token", "ls", 1, "a truncated listing without NextContinuationToken");
        row("repeated-token", "ls", 1, "the server repeated a listing continuation token");
        row("listing-cut-short", "ls", 1, "broke off its reply for the listing of moltbot-data-development");
        row("empty-200", "ls", 1, "an empty body where S3 sends <ListBucketResult>");
        row("error-500", "ls", 1,
            "failed with HTTP 500 (We encountered an internal error.) after 2 attempt(s)");
        row("clock-skew", "ls", 1, "your clock is");
        // Restores: a broken listing or object fails before anything reaches the target ...
        row("malformed-xml", "restore", 1, "XML error");
        row("html-200", "restore", 1, "an HTML page instead of S3 XML");
        row("truncated-no-token", "restore", 1, "a truncated listing without NextContinuationToken");
        row("repeated-token", "restore", 1, "the server repeated a listing continuation token");
        row("listing-cut-short", "restore", 1, "broke off its reply");
        row("object-short", "restore", 1, "broke off its reply");
        // ... and keys that would escape or collide are refused and reported; the rest is restored.
        row("keys-absolute", "restore", 0, "refused: it contains an empty path segment");
        row("keys-dotdot", "restore", 0, "refused: it contains a \"..\" segment");
        row("keys-backslash", "restore", 0, "refused: it contains a backslash");
        row("keys-long", "restore", 0, "refused: it is longer than 1024 bytes");
        row("keys-nfc", "restore", 0, "the same file name after Unicode normalisation");
    }

    void hostileServer()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, command);
        QFETCH(int, code);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QProcess server;
        server.start(QStringLiteral("/usr/bin/python3"),
                     {qEnvironmentVariable("MOLTDESK_SOURCE_DIR") +
                          QStringLiteral("/tests/support/hostile/hostile_s3.py"),
                      scenario});
        QVERIFY(server.waitForReadyRead(10000));
        const int port = server.readLine().trimmed().toInt();
        QVERIFY(port > 0);
        auto stopServer = qScopeGuard([&] {
            server.closeWriteChannel();
            if (!server.waitForFinished(3000))
                server.kill();
        });
        QFile profile(dir.filePath(QStringLiteral("p.json")));
        QVERIFY(profile.open(QIODevice::WriteOnly));
        profile.write(
            QStringLiteral("{\"environments\":[\"development\"],\"storage\":{\"type\":\"s3\",\"endpoint\":"
                           "\"http://127.0.0.1:%1\"},\"syncSets\":[{\"local\":\"src/clawdbot\",\"prefix\":"
                           "\"clawdbot/\"}]}")
                .arg(port)
                .toUtf8());
        profile.close();
        QFile vars(dir.filePath(QStringLiteral(".dev.vars")));
        QVERIFY(vars.open(QIODevice::WriteOnly));
        vars.write("R2_ACCESS_KEY_ID=AKIDHOSTILETEST\nR2_SECRET_ACCESS_KEY=hostile-test-secret\n");
        vars.close();
        const QString target = dir.filePath(QStringLiteral("inner/target"));
        QStringList args{QStringLiteral("--profile"), profile.fileName(), QStringLiteral("--no-keychain")};
        if (command == QLatin1String("ls"))
            args << QStringLiteral("ls") << QStringLiteral("development");
        else
            args << QStringLiteral("restore") << QStringLiteral("development") << QStringLiteral("--to")
                 << target << QStringLiteral("--force");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("xdg-data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("xdg-cache")));
        env.insert(QStringLiteral("MOLTDESK_S3_MAX_ATTEMPTS"), QStringLiteral("2"));
        env.insert(QStringLiteral("MOLTDESK_S3_TIMEOUT_MS"), QStringLiteral("3000"));
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("MOLTCTL"), args);
        p.closeWriteChannel();
        QVERIFY2(p.waitForFinished(60000), "moltctl hung");
        const QString out = QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == code,
                 qPrintable(QStringLiteral("exit %1, expected %2: %3").arg(p.exitCode()).arg(code).arg(out)));
        QVERIFY2(out.contains(message), qPrintable(out));
        QVERIFY(!out.contains(QLatin1String("hostile-test-secret")));
        // Nothing escaped the target: not beside it, not above it, not at an absolute path.
        QDirIterator it(dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            QVERIFY2(f.startsWith(target + QLatin1Char('/')) ||
                         f.startsWith(dir.filePath(QStringLiteral("xdg-"))) ||
                         QFileInfo(f).dir() == QDir(dir.path()),
                     qPrintable(QStringLiteral("written outside the target: ") + f));
            QVERIFY2(!f.contains(QLatin1String("moltdesk-escape")), qPrintable(f));
        }
        QVERIFY(!QFileInfo::exists(QStringLiteral("/etc/moltdesk-escape")));
        if (command == QLatin1String("restore") && code != 0) // a failed restore leaves no trace
            QVERIFY2(!QFileInfo::exists(target), qPrintable(QDir(target).entryList().join(QLatin1Char(' '))));
        if (command == QLatin1String("restore") && code == 0) // the good object did arrive
            QCOMPARE(QFile(target + QStringLiteral("/clawdbot/clawdbot.json")).size(), qint64(33));
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
