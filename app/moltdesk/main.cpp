// moltdesk: the desktop app. `moltdesk [--profile FILE]`; without a profile it opens the demo.
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("moltdesk"));
    QApplication::setOrganizationName(QStringLiteral("moltdesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("Moltdesk"));
    QApplication::setApplicationVersion(QStringLiteral(MOLTDESK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("moltdesk"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/moltdesk/moltdesk.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("See and act on R2 environment isolation for Moltbot/OpenClaw deployments."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profile(QStringList{QStringLiteral("p"), QStringLiteral("profile")},
                                     QStringLiteral("Open the profile FILE (default: the demo workspace)."),
                                     QStringLiteral("FILE"));
    parser.addOption(profile);
    parser.process(app);

    moltdesk::MainWindow window;
    window.show();
    if (parser.isSet(profile))
        window.openProfile(parser.value(profile));
    else
        window.openDemo();
    return app.exec();
}
