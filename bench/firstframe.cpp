// moltdesk-firstframe: the window's first frame on the demo workspace, for bench/firstframe.py. The
// same start as app/moltdesk/main.cpp (QApplication, MainWindow, show, openDemo), plus one event filter
// that prints CLOCK_MONOTONIC at the first paint the window receives and then quits. The launcher
// takes the same clock just before it starts the process, so the difference is process start to first
// paint. Not installed.
#include "MainWindow.h"
#include "Version.h"

#include <QApplication>
#include <QEvent>
#include <QIcon>
#include <QTimer>
#include <cstdio>
#include <ctime>

namespace {

double monotonicSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Stops at the first paint of the window or any of its children, before it is drawn.
class FirstPaint : public QObject
{
public:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen && watched->isWidgetType()) {
            m_seen = true;
            std::printf("first-paint %.6f\n", monotonicSeconds());
            std::fflush(stdout);
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        }
        return false;
    }

private:
    bool m_seen = false;
};

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("moltdesk"));
    QApplication::setOrganizationName(QStringLiteral("moltdesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("Moltdesk"));
    QApplication::setApplicationVersion(moltdesk::moltdeskVersion());
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/moltdesk/moltdesk.svg")));
    FirstPaint probe;
    app.installEventFilter(&probe);
    moltdesk::MainWindow window;
    window.show();
    window.openDemo();
    QTimer::singleShot(30000, &app, &QCoreApplication::quit); // never hangs a benchmark
    return app.exec();
}
