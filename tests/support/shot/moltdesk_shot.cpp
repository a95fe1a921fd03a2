// Screenshot helper for docs/ (scripts/screenshot-isolation.sh runs it under Xvfb): the real
// MainWindow on a profile, one tab shown, saved as PNG once the audit has finished.
//   moltdesk_shot PROFILE OUTPUT.png [TAB]     (TAB: a tab title prefix, default "Isolation")
//   moltdesk_shot PROFILE --hold SECONDS TAB [sync]
//     (scripts/screenshots.sh: the window fills the screen as a maximised one would, optionally with
//     development's sync dialog open; prints "ready" and stays SECONDS so `import -window root` takes
//     what the screen really shows, cut-off parts included)
#include "ActionDialog.h"
#include "MainWindow.h"

#include <QApplication>
#include <QScreen>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("moltdesk"));
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        fprintf(stderr, "usage: moltdesk_shot PROFILE OUTPUT.png [TAB]\n");
        return 2;
    }
    const bool hold = args.at(2) == QLatin1String("--hold");
    const int tabArg = hold ? 4 : 3;
    const QString tab = args.size() > tabArg ? args.at(tabArg) : QStringLiteral("Isolation");
    moltdesk::MainWindow::Options o;
    o.useKeychain = false;
    moltdesk::MainWindow w(o);
    if (hold)
        w.setGeometry(w.screen()->availableGeometry());
    else
        w.resize(1400, 900);
    w.show();
    QSignalSpy audited(&w, &moltdesk::MainWindow::auditFinished);
    w.openProfile(args.at(1));
    if (!QTest::qWaitFor([&] { return audited.count() > 0; }, 30000)) {
        fprintf(stderr, "moltdesk_shot: no audit within 30 s\n");
        return 1;
    }
    QTest::qWait(500); // the status refresh lands too
    auto *tabs = w.findChild<QTabWidget *>();
    for (int i = 0; tabs && i < tabs->count(); ++i) {
        if (tabs->tabText(i).startsWith(tab))
            tabs->setCurrentIndex(i);
    }
    QTest::qWait(300);
    if (!hold)
        return w.grab().save(args.at(2)) ? 0 : 1;
    if (args.size() > 5 && args.at(5) == QLatin1String("sync")) {
        w.selectRow(0);
        w.startAction(moltdesk::Plan::Kind::Sync, 0);
        QTest::qWait(3000); // the plan arrives
    }
    printf("ready\n");
    fflush(stdout);
    QTest::qWait(args.at(3).toInt() * 1000);
    return 0;
}
