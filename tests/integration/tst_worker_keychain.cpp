// The Access service token through a real keychain (GNOME Keyring on a private D-Bus session, see
// tests/support/with-keyring.sh): `moltctl worker token set` stores it from stdin, and a backup in the
// container then authenticates with it while no file holds it; nothing printed or written contains it.
#include "StandinWorker.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>

using namespace moltdesk::test;

class TestWorkerKeychain : public QObject
{
    Q_OBJECT
private:
    TestServer m_server;
    StandinWorker m_worker;
    QTemporaryDir m_dir;
    QByteArray m_output;

    int run(const QStringList &args, const QByteArray &stdinData = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("moltdesk.*.debug=true"));
        env.remove(QStringLiteral("CF_ACCESS_CLIENT_ID"));
        env.remove(QStringLiteral("CF_ACCESS_CLIENT_SECRET"));
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("MOLTCTL"),
                QStringList{QStringLiteral("--profile"), m_dir.filePath(QStringLiteral("profile.json"))} +
                    args);
        p.write(stdinData);
        p.closeWriteChannel();
        if (!p.waitForFinished(300000))
            p.kill();
        m_output += p.readAllStandardOutput() + p.readAllStandardError();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    void write(const QString &rel, const QByteArray &data)
    {
        QFile f(m_dir.filePath(rel));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(data);
    }

private slots:
    void initTestCase()
    {
        MOLTDESK_REQUIRE_SERVER(m_server);
        MOLTDESK_REQUIRE_WORKER(m_worker);
        if (qEnvironmentVariable("MOLTDESK_KEYRING_HOME").isEmpty())
            QFAIL("run through tests/support/with-keyring.sh (ctest does)");
    }

    void tokenFromTheKeychain()
    {
        write(QStringLiteral("profile.json"),
              QJsonDocument(
                  QJsonObject{{QStringLiteral("environments"), QJsonArray{QStringLiteral("development")}},
                              {QStringLiteral("includeLegacy"), false},
                              {QStringLiteral("storage"),
                               QJsonObject{{QStringLiteral("type"), QStringLiteral("s3")},
                                           {QStringLiteral("endpoint"), m_server.endpoint().toString()}}},
                              {QStringLiteral("workers"),
                               QJsonObject{{QStringLiteral("development"),
                                            m_worker.url(QStringLiteral("development"))}}}})
                  .toJson());
        const ServerUser dev = m_server.user(QStringLiteral("dev"));
        // R2 keys in the file; the Access token nowhere but the keychain.
        write(QStringLiteral(".dev.vars.development"),
              QString(QStringLiteral("R2_ACCESS_KEY_ID=") + dev.accessKeyId +
                      QStringLiteral("\nR2_SECRET_ACCESS_KEY=") + dev.secret + QLatin1Char('\n'))
                  .toUtf8());
        QVERIFY(m_worker.control(QStringLiteral("reset"),
                                 {{QStringLiteral("env"), QStringLiteral("development")}}));
        QVERIFY(m_worker.control(QStringLiteral("wipe"),
                                 {{QStringLiteral("bucket"), QStringLiteral("moltbot-data-development")}}));
        QVERIFY(m_worker.control(QStringLiteral("seed"),
                                 {{QStringLiteral("env"), QStringLiteral("development")}}));

        QCOMPARE(run({QStringLiteral("worker"), QStringLiteral("sync"), QStringLiteral("development")}),
                 1); // no token yet
        const QString secret = m_worker.clientSecret(QStringLiteral("development"));
        QCOMPARE(run({QStringLiteral("worker"), QStringLiteral("token"), QStringLiteral("set"),
                      QStringLiteral("development")},
                     QString(QStringLiteral("CF_ACCESS_CLIENT_ID=") +
                             m_worker.clientId(QStringLiteral("development")) +
                             QStringLiteral("\nCF_ACCESS_CLIENT_SECRET=") + secret + QLatin1Char('\n'))
                         .toUtf8()),
                 0);
        QCOMPARE(run({QStringLiteral("worker"), QStringLiteral("sync"), QStringLiteral("development")}), 0);
        QCOMPARE(run({QStringLiteral("worker"), QStringLiteral("status"), QStringLiteral("--json")}), 0);
        QVERIFY2(m_output.contains("\"token\": \"keychain\""), m_output.constData());
        QVERIFY2(!m_output.contains(secret.toUtf8()), "the token was printed or logged");
        QDirIterator it(m_dir.path(), QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains(secret.toUtf8()), qPrintable(f.fileName()));
        }
    }
};

QTEST_GUILESS_MAIN(TestWorkerKeychain)
#include "tst_worker_keychain.moc"
