// moltdesk-docgen: writes the man pages and the bash completion from the help table (core/app), at build
// time. Not installed. Usage: moltdesk-docgen man|completion moltctl|moltdesk OUT
#include "HelpFormat.h"
#include "Version.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4 ||
        (args.at(1) != QLatin1String("man") && args.at(1) != QLatin1String("completion")) ||
        (args.at(2) != QLatin1String("moltctl") && args.at(2) != QLatin1String("moltdesk"))) {
        std::fputs("usage: moltdesk-docgen man|completion moltctl|moltdesk OUT\n", stderr);
        return 2;
    }
    const moltdesk::ProgramHelp &help =
        args.at(2) == QLatin1String("moltctl") ? moltdesk::moltctlHelp() : moltdesk::moltdeskHelp();
    const QString text =
        args.at(1) == QLatin1String("man")
            ? moltdesk::manPage(help, moltdesk::moltdeskVersion(), moltdesk::moltdeskReleaseDate())
            : moltdesk::bashCompletion(help);
    QSaveFile out(args.at(3));
    if (!out.open(QIODevice::WriteOnly) || out.write(text.toUtf8()) < 0 || !out.commit()) {
        std::fprintf(stderr, "moltdesk-docgen: cannot write %s: %s\n", qPrintable(args.at(3)),
                     qPrintable(out.errorString()));
        return 1;
    }
    return 0;
}
