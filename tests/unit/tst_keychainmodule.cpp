// The keychain lives in the `moltdesk-keychain` module, loaded on first use (KeychainModule). Without it,
// every keychain call says so in words and nothing pretends to have stored or read a secret.
#include "CredentialFiles.h"
#include "Credentials.h"
#include "KeychainBackend.h"
#include "KeychainModule.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QtConcurrent>
#include <atomic>

using namespace moltdesk;

class TestKeychainModule : public QObject
{
    Q_OBJECT
    QTemporaryDir m_empty;
    static inline std::atomic<int> s_loads = 0;
    static inline std::atomic<QThread *> s_loadThread = nullptr;

    // KeychainModule::load, slowed down and watched: which thread loads, and how often.
    static Result<KeychainBackend *> watchedLoad(const QStringList &dirs)
    {
        QThread::msleep(200);
        s_loadThread = QThread::currentThread();
        ++s_loads;
        return KeychainModule::load(dirs);
    }

    // A keychain that takes every request and never answers (a locked or hung D-Bus service).
    class SilentKeychain final : public KeychainBackend
    {
    public:
        std::atomic<int> started = 0;
        QObject *start(const KeychainRequest &, std::function<void(const KeychainAnswer &)>) override
        {
            ++started;
            return new QObject(&m_jobs);
        }

    private:
        QObject m_jobs;
    };
    static inline SilentKeychain *s_silent = nullptr;
    static Result<KeychainBackend *> silentLoad(const QStringList &) { return s_silent; }

    // Whether `future` finishes within `ms` while this thread handles no events at all.
    template <typename T> static bool finishesWithoutEvents(const QFuture<T> &future, int ms)
    {
        QDeadlineTimer deadline(ms);
        while (!future.isFinished() && !deadline.hasExpired())
            QThread::msleep(10);
        return future.isFinished();
    }

    // The store answers through this thread's event loop, as in both programs.
    template <typename T> static bool settles(const QFuture<T> &future)
    {
        return QTest::qWaitFor([&]() { return future.isFinished(); }, 10000);
    }

    static void verifyNotInstalled(const Error &error, const QString &dir)
    {
        QVERIFY(error.kind == ErrorKind::Local);
        QVERIFY2(error.message.startsWith(QLatin1String("keychain support not installed: ")),
                 qPrintable(error.message));
        QVERIFY2(error.message.contains(dir), qPrintable(error.message));
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_empty.isValid());
    }

    void absentModuleIsAnErrorInWords()
    {
        const auto backend = KeychainModule::load({m_empty.path()});
        QVERIFY(!backend.ok());
        verifyNotInstalled(backend.error(), m_empty.path());
        QVERIFY(backend.error().message.contains(QLatin1String("moltdesk-keychain")));
    }

    void brokenModuleIsAnErrorInWords()
    {
        QTemporaryDir dir;
        QFile junk(dir.filePath(QStringLiteral("moltdesk-keychain.so")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a shared object");
        junk.close();
        const auto backend = KeychainModule::load({m_empty.path(), dir.path()});
        QVERIFY(!backend.ok());
        verifyNotInstalled(backend.error(), junk.fileName());
        QVERIFY2(backend.error().message.contains(QLatin1String("cannot be loaded")),
                 qPrintable(backend.error().message));
    }

    // No false green: without the module a write or a removal fails, a read finds nothing.
    void storeWithoutModuleSaysSo()
    {
        KeychainStore store(QStringLiteral("moltdesk-module-test"), nullptr, 5000, {m_empty.path()});
        const Credentials keys{QStringLiteral("AKIDMODULE"), QStringLiteral("module-secret"), {}};
        const QFuture<Status> written = store.write(QStringLiteral("entry"), keys);
        QVERIFY(settles(written));
        QVERIFY(!written.result().ok());
        verifyNotInstalled(written.result().error(), m_empty.path());
        const QFuture<Result<Credentials>> read = store.read(QStringLiteral("entry"));
        QVERIFY(settles(read));
        QVERIFY(!read.result().ok());
        verifyNotInstalled(read.result().error(), m_empty.path());
        const QFuture<Status> removed = store.remove(QStringLiteral("entry"));
        QVERIFY(settles(removed));
        QVERIFY(!removed.result().ok());
        verifyNotInstalled(removed.result().error(), m_empty.path());
    }

    // In the window the store lives on the UI thread, which never does I/O: the module (a folder listing,
    // dozens of libraries) is loaded on another thread, once, and every call made meanwhile is answered.
    void moduleLoadsOnceOffTheStoreThread()
    {
        s_loads = 0;
        s_loadThread = nullptr;
        KeychainStore store(QStringLiteral("moltdesk-module-test"), nullptr, 5000, {m_empty.path()},
                            &TestKeychainModule::watchedLoad);
        const QFuture<Result<Credentials>> read = store.read(QStringLiteral("entry"));
        const QFuture<Status> written = store.write(QStringLiteral("entry"), Credentials{});
        QVERIFY(settles(read));
        QVERIFY(settles(written));
        const QFuture<Status> removed = store.remove(QStringLiteral("entry"));
        QVERIFY(settles(removed));
        QCOMPARE(s_loads.load(), 1);
        QVERIFY(s_loadThread.load() != nullptr);
        QVERIFY2(s_loadThread.load() != QThread::currentThread(),
                 "the module was loaded on the store's thread");
        QVERIFY(!read.result().ok());
        verifyNotInstalled(read.result().error(), m_empty.path());
        verifyNotInstalled(written.result().error(), m_empty.path());
        verifyNotInstalled(removed.result().error(), m_empty.path());
    }

    // The window's way out: its event loop has stopped, then its work pool joins. A worker blocked on a
    // keychain answer (a refresh reading the Access token) must be answered by close(), not left to a
    // timeout whose timer can no longer fire.
    void closeAnswersWorkersWaitingWithoutAnEventLoop()
    {
        SilentKeychain silent;
        s_silent = &silent;
        KeychainStore store(QStringLiteral("moltdesk-close-test"), nullptr, 1000, {m_empty.path()},
                            &TestKeychainModule::silentLoad);
        QThreadPool workers;
        // One call already with the keychain, one still queued to the store's thread.
        const QFuture<bool> asked = QtConcurrent::run(&workers, [&store]() {
            return store.read(QStringLiteral("asked")).result().error().kind == ErrorKind::Cancelled;
        });
        QTRY_COMPARE_WITH_TIMEOUT(silent.started.load(), 1, 10000);
        const QFuture<bool> queued = QtConcurrent::run(&workers, [&store]() {
            return store.read(QStringLiteral("queued")).result().error().kind == ErrorKind::Cancelled;
        });
        QThread::msleep(100); // its request is queued by now (no events are handled here from now on)

        store.close();
        const bool answered = finishesWithoutEvents(asked, 3000) && finishesWithoutEvents(queued, 3000);
        QTRY_VERIFY(asked.isFinished() && queued.isFinished()); // without close(), the timeout frees them
        QVERIFY2(answered, "a worker waited on the keychain after close()");
        QVERIFY2(asked.result() && queued.result(),
                 "close() must answer \"cancelled\", not a keychain verdict");

        const QFuture<Status> later = store.write(QStringLiteral("later"), Credentials{});
        QVERIFY(finishesWithoutEvents(later, 0));
        QCOMPARE(later.result().error().kind, ErrorKind::Cancelled);
        QCOMPARE(silent.started.load(), 1); // nothing more reached the keychain
        s_silent = nullptr;
    }

    void resolverNotesTheMissingModule()
    {
        KeychainStore store(QStringLiteral("moltdesk-module-test"), nullptr, 5000, {m_empty.path()});
        QTemporaryDir ws;
        const QString profile = ws.filePath(QStringLiteral("profile.json"));
        const EnvironmentNames env{QStringLiteral("development"), QStringLiteral("moltbot-data-development"),
                                   QStringLiteral("/data/moltbot-development"),
                                   QStringLiteral("moltbot-development")};
        CredentialLookup lookup;
        // resolve() blocks on the store, which answers through this thread: resolve elsewhere.
        QThread *worker =
            QThread::create([&]() { lookup = CredentialResolver(profile, &store).resolve(env); });
        worker->start();
        QTRY_VERIFY_WITH_TIMEOUT(worker->isFinished(), 10000);
        delete worker;
        QVERIFY(!lookup.complete());
        QVERIFY2(
            lookup.notes.join(QLatin1Char('\n')).contains(QLatin1String("keychain support not installed")),
            qPrintable(lookup.notes.join(QLatin1Char('\n'))));
    }

    void adviceNamesTheModule()
    {
        const QString advice = keychainAdvice(
            QStringLiteral(
                "keychain support not installed: no moltdesk-keychain module in /usr/lib/moltdesk/keychain"),
            QStringLiteral("/ws/.dev.vars.development"));
        QVERIFY2(advice.contains(QLatin1String("keychain module")), qPrintable(advice));
        QVERIFY(advice.contains(QLatin1String(".dev.vars.development")));
    }

    // The module the build made is found where the programs and tests look, and is ours.
    void builtModuleLoads()
    {
        if (qEnvironmentVariableIsEmpty("MOLTDESK_KEYCHAIN_MODULE_DIR"))
            QSKIP("NOT RUN: MOLTDESK_KEYCHAIN_MODULE_DIR is unset (CTest sets it to the built module's "
                  "folder)");
        if (!QFileInfo::exists(qEnvironmentVariable("MOLTDESK_KEYCHAIN_MODULE_DIR")))
            QSKIP("NOT RUN: no keychain module in this build (QtKeychain was not found at configure time)");
        const auto backend = KeychainModule::load(KeychainModule::defaultDirs());
        QVERIFY2(backend.ok(), qPrintable(backend.ok() ? QString() : backend.error().message));
    }
};

QTEST_MAIN(TestKeychainModule)
#include "tst_keychainmodule.moc"
