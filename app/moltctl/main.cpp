// moltctl: the command-line twin of the Moltdesk app, on the same core.
#include "Cli.h"
#include "Version.h"

#include <QCoreApplication>
#include <QTimer>
#include <QtConcurrent>
#include <csignal>
#include <malloc.h>

namespace {
std::atomic_bool g_interrupted{false};
void onSignal(int)
{
    g_interrupted = true;
}
} // namespace

int main(int argc, char **argv)
{
    // One heap for every thread, set before any thread starts. glibc gives each new thread its own
    // arena, whose pages are faulted in afresh; moltctl's threads mostly wait on the network and pass
    // work along, so a no-op sync spent a third of its page faults (and ~10 % of its CPU) filling
    // arenas, and held memory freed in one while allocating in another.
    mallopt(M_ARENA_MAX, 1);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("moltdesk"));
    QCoreApplication::setOrganizationName(QStringLiteral("moltdesk"));
    QCoreApplication::setApplicationVersion(moltdesk::moltdeskVersion());

    moltdesk::Terminal terminal;
    // The keychain's jobs need an event loop: this (main) thread runs one while the command
    // itself runs on a worker thread and may wait on them.
    moltdesk::KeychainStore keychain;
    moltdesk::Cli cli(&keychain, terminal);

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    // A file size limit (ulimit -f) must give a clean write error, not kill us halfway.
    std::signal(SIGXFSZ, SIG_IGN);
    QTimer interruptWatch;
    QObject::connect(&interruptWatch, &QTimer::timeout, &app, [&]() {
        if (g_interrupted.exchange(false)) {
            terminal.err(QStringLiteral("interrupted: stopping safely..."));
            cli.cancel();
        }
    });
    interruptWatch.start(100);

    QStringList args = app.arguments();
    args.removeFirst();
    int code = 0;
    // The command may finish before the event loop starts: post the exit as an event, which exec()
    // will find whenever it starts (a continuation attached after completion could be missed).
    (void)QtConcurrent::run([&]() {
        const int c = cli.run(args);
        QMetaObject::invokeMethod(
            &app,
            [&code, c]() {
                code = c;
                QCoreApplication::exit(c);
            },
            Qt::QueuedConnection);
    });
    app.exec();
    return code;
}
