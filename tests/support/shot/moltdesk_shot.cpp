// Screenshot helper for docs/ (scripts/screenshot-isolation.sh runs it under Xvfb): the real
// MainWindow on a profile, one tab shown, saved as PNG once the audit has finished.
//   moltdesk_shot PROFILE OUTPUT.png [TAB]     (TAB: a tab title prefix, default "Isolation")
#include "MainWindow.h"

#include <QApplication>
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
    const QString tab = args.size() > 3 ? args.at(3) : QStringLiteral("Isolation");
    moltdesk::MainWindow::Options o;
    o.useKeychain = false;
    moltdesk::MainWindow w(o);
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
    return w.grab().save(args.at(2)) ? 0 : 1;
}
