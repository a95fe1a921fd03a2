// moltdesk: the desktop app. `moltdesk [--profile FILE]`; without a profile it opens the demo.
#include "HelpFormat.h"
#include "MainWindow.h"
#include "Version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <cstdio>
#include <cstring>

namespace {

// --help and --version are answered before QApplication exists: they must work where no display is
// (an ssh session, a package's post-install check), and QApplication cannot start without one.
bool answeredWithoutDisplay(int argc, char **argv)
{
    const moltdesk::ProgramHelp &help = moltdesk::moltdeskHelp();
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        for (const moltdesk::HelpOption &o : help.options) {
            if (arg != o.name && arg != o.shortName)
                continue;
            if (o.name == QLatin1String("--help")) {
                std::fputs(moltdesk::usageText(help).toLocal8Bit().constData(), stdout);
                return true;
            }
            if (o.name == QLatin1String("--version")) {
                std::puts(moltdesk::versionLine(help.program).toLocal8Bit().constData());
                return true;
            }
        }
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    if (answeredWithoutDisplay(argc, argv))
        return 0;
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("moltdesk"));
    QApplication::setOrganizationName(QStringLiteral("moltdesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("Moltdesk"));
    QApplication::setApplicationVersion(moltdesk::moltdeskVersion());
    QApplication::setDesktopFileName(QStringLiteral("moltdesk"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/moltdesk/moltdesk.svg")));

    // The options come from the help table (HelpTable.cpp), which the man page is made from too;
    // those without a value (--help, --version) were answered above.
    QCommandLineParser parser;
    for (const moltdesk::HelpOption &o : moltdesk::moltdeskHelp().options) {
        if (o.value.isEmpty())
            continue;
        QStringList names{o.name.mid(2)};
        if (!o.shortName.isEmpty())
            names.prepend(o.shortName.mid(1));
        parser.addOption(QCommandLineOption(names, o.text, o.value));
    }
    parser.process(app);
    const QString profile = QStringLiteral("profile");

    moltdesk::MainWindow window;
    window.show();
    if (parser.isSet(profile))
        window.openProfile(parser.value(profile));
    else
        window.openDemo();
    return app.exec();
}
