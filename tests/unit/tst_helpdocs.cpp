// The help table (core/app/HelpTable.cpp) against everything it must agree with: what the real binaries
// print for --help, COMMAND --help and --version, what moltctl's parser accepts, the built man pages and
// completion script (stale or incomplete files fail), the completion's behaviour in a real bash, and the
// command list in README.md.
#include "HelpFormat.h"
#include "HelpTable.h"
#include "Version.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;

class TestHelpDocs : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    struct Run
    {
        int code = -1;
        QString out;
        QString err;
    };
    Run run(const QString &program, const QStringList &args, const QProcessEnvironment &env = {})
    {
        QProcess p;
        QProcessEnvironment e = env.isEmpty() ? QProcessEnvironment::systemEnvironment() : env;
        e.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        e.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("xdg-cache")));
        p.setProcessEnvironment(e);
        p.start(program, args);
        p.closeWriteChannel();
        if (!p.waitForFinished(60000))
            return {};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }
    Run moltctl(const QStringList &args) { return run(qEnvironmentVariable("MOLTCTL"), args); }

    static QString generated(const QString &relative)
    {
        QFile f(qEnvironmentVariable("MOLTDESK_BINARY_DIR") + QStringLiteral("/packaging/share/") + relative);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

    // The man page's text without roff's font changes and escapes.
    static QString plain(QString roff)
    {
        roff.remove(QRegularExpression(QStringLiteral("\\\\f[BIR]")));
        roff.replace(QStringLiteral("\\-"), QStringLiteral("-"));
        roff.replace(QStringLiteral("\\e"), QStringLiteral("\\"));
        return roff;
    }

    // A value an option accepts, by its placeholder.
    QString sampleValue(const QString &placeholder)
    {
        if (placeholder == QLatin1String("ENV"))
            return QStringLiteral("development");
        if (placeholder.startsWith(QLatin1Char('N')))
            return QStringLiteral("2");
        if (placeholder == QLatin1String("DIR"))
            return m_dir.filePath(QStringLiteral("target"));
        return m_dir.filePath(QStringLiteral("file"));
    }

    // What a word of a completion returns, in a real bash with the built script and this moltctl.
    QStringList complete(const QStringList &words)
    {
        const QString script = qEnvironmentVariable("MOLTDESK_BINARY_DIR") +
                               QStringLiteral("/packaging/share/bash-completion/moltctl");
        QStringList quoted;
        for (const QString &w : words)
            quoted << QLatin1Char('\'') + w + QLatin1Char('\'');
        const QString cmd = QStringLiteral("source '%1'; COMP_WORDS=(%2); COMP_CWORD=%3; _moltctl; "
                                           "printf '%s\\n' \"${COMPREPLY[@]}\"")
                                .arg(script, quoted.join(QLatin1Char(' ')))
                                .arg(words.size() - 1);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"), QFileInfo(qEnvironmentVariable("MOLTCTL")).absolutePath() +
                                               QLatin1Char(':') + env.value(QStringLiteral("PATH")));
        const Run r = run(QStringLiteral("bash"), {QStringLiteral("-c"), cmd}, env);
        return r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFileInfo::exists(qEnvironmentVariable("MOLTCTL")));
    }

    void helpIsTheTable()
    {
        const Run r = moltctl({QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.trimmed(), usageText(moltctlHelp()).trimmed());
        for (const HelpCommand &c : moltctlHelp().commands)
            if (!c.hidden)
                QVERIFY2(r.out.contains(c.summary), qPrintable(c.name));
    }

    // Every command's own help, by `COMMAND --help` and by `help COMMAND`, lists all its options.
    void everyCommandHasHelp()
    {
        for (const QString &word : moltctlHelp().commandWords()) {
            const Run r = moltctl({word, QStringLiteral("--help")});
            QCOMPARE(r.code, 0);
            QCOMPARE(r.out.trimmed(), commandUsage(moltctlHelp(), word).trimmed());
            QCOMPARE(moltctl({QStringLiteral("help"), word}).out, r.out);
            for (const HelpCommand *c : moltctlHelp().group(word)) {
                QVERIFY2(r.out.contains(commandSynopsis(*c).section(QLatin1Char(' '), 0, 1)),
                         qPrintable(word));
                for (const HelpOption &o : c->options)
                    QVERIFY2(r.out.contains(QStringLiteral("  ") + o.name), qPrintable(word + o.name));
            }
        }
        const Run unknown = moltctl({QStringLiteral("frobnicate"), QStringLiteral("--help")});
        QCOMPARE(unknown.code, 2);
        QVERIFY(unknown.err.contains(QLatin1String("unknown command")));
    }

    // The table names no option the parser would refuse: each one, alone, gets past parsing to the
    // point where the (missing) profile is needed.
    void everyOptionInTheTableIsAccepted()
    {
        const QString noProfile = m_dir.filePath(QStringLiteral("absent.json"));
        int checked = 0;
        for (const HelpCommand &c : moltctlHelp().commands) {
            if (c.hidden || c.options.isEmpty())
                continue;
            QStringList base{QStringLiteral("--profile"), noProfile};
            base << c.name.split(QLatin1Char(' '));
            const QString positional = c.positional;
            for (const QString &p : positional.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                if (!p.startsWith(QLatin1Char('[')))
                    base << sampleValue(p);
            for (const HelpOption &o : c.options)
                if (o.required)
                    base << o.name << sampleValue(o.value);
            for (const HelpOption &o : c.options) {
                QStringList args = base;
                if (!o.required) {
                    args << o.name;
                    if (!o.value.isEmpty())
                        args << sampleValue(o.value);
                }
                const Run r = moltctl(args);
                QVERIFY2(r.code == 2 && r.err.contains(QLatin1String("no profile at")),
                         qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err));
                ++checked;
            }
        }
        QVERIFY(checked >= 20);
        // And one it does not know is refused, so the check above can fail.
        const Run bogus = moltctl(
            {QStringLiteral("--profile"), noProfile, QStringLiteral("status"), QStringLiteral("--bogus")});
        QCOMPARE(bogus.code, 2);
        QVERIFY(bogus.err.contains(QLatin1String("unknown option --bogus")));
    }

    void versionIsTheProjectVersionAndQt()
    {
        const QString expected =
            QStringLiteral(" " MOLTDESK_VERSION " (Qt %1").arg(QString::fromLatin1(qVersion()));
        const Run r = moltctl({QStringLiteral("--version")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith(QStringLiteral("moltctl") + expected), qPrintable(r.out));
        const QString moltdesk = qEnvironmentVariable("MOLTDESK");
        if (moltdesk.isEmpty())
            QSKIP("built without the GUI (preset core-only): no moltdesk to ask");
        // Without any display: --version and --help must not need one.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QString::fromLatin1(v));
        const Run d = run(moltdesk, {QStringLiteral("--version")}, env);
        QCOMPARE(d.code, 0);
        QVERIFY2(d.out.startsWith(QStringLiteral("moltdesk") + expected), qPrintable(d.out + d.err));
        const Run h = run(moltdesk, {QStringLiteral("--help")}, env);
        QCOMPARE(h.code, 0);
        QCOMPARE(h.out.trimmed(), usageText(moltdeskHelp()).trimmed());
    }

    // The built man pages are the table's current rendering, and that rendering holds every command,
    // option and section.
    void manPagesAreCurrentAndComplete()
    {
        QList<const ProgramHelp *> programs{&moltctlHelp()};
        if (!qEnvironmentVariable("MOLTDESK").isEmpty())
            programs << &moltdeskHelp();
        for (const ProgramHelp *help : programs) {
            const QString built = generated(QStringLiteral("man/%1.1").arg(help->program));
            QVERIFY2(!built.isEmpty(), qPrintable(help->program));
            QCOMPARE(built, manPage(*help, QStringLiteral(MOLTDESK_VERSION), moltdeskReleaseDate()));
            QVERIFY(built.contains(QStringLiteral("\"Moltdesk " MOLTDESK_VERSION "\"")));
            const QString text = plain(built);
            for (const HelpOption &o : help->options)
                QVERIFY2(text.contains(o.name) && text.contains(o.text), qPrintable(o.name));
            for (const HelpCommand &c : help->commands) {
                if (c.hidden) {
                    QVERIFY(!text.contains(c.name));
                    continue;
                }
                QVERIFY2(text.contains(commandSynopsis(c)), qPrintable(c.name));
                for (const HelpOption &o : c.options)
                    QVERIFY2(text.contains(o.text), qPrintable(c.name + o.name));
            }
            for (const HelpSection &s : help->sections)
                QVERIFY2(text.contains(QStringLiteral(".SH ") + s.title), qPrintable(s.title));
        }
    }

    void completionIsCurrentAndWorks()
    {
        QCOMPARE(generated(QStringLiteral("bash-completion/moltctl")), bashCompletion(moltctlHelp()));
        QCOMPARE(complete({QStringLiteral("moltctl"), QStringLiteral("sy")}),
                 QStringList{QStringLiteral("sync")});
        QCOMPARE(complete({QStringLiteral("moltctl"), QStringLiteral("credentials"), QString()}),
                 QStringList{QStringLiteral("set")});
        QCOMPARE(complete({QStringLiteral("moltctl"), QStringLiteral("sync"), QStringLiteral("--dr")}),
                 QStringList{QStringLiteral("--dry-run")});
        QCOMPARE(complete({QStringLiteral("moltctl"), QStringLiteral("sync"), QStringLiteral("--max-delete"),
                           QStringLiteral("u")}),
                 QStringList{QStringLiteral("unlimited")});
        QCOMPARE(complete({QStringLiteral("moltctl"), QStringLiteral("help"), QStringLiteral("re")}),
                 QStringList{QStringLiteral("restore")});
        // Environment names come from the profile on the command line.
        const QString demo = m_dir.filePath(QStringLiteral("demo"));
        QCOMPARE(moltctl({QStringLiteral("init-demo"), demo}).code, 0);
        const QString profile = demo + QStringLiteral("/profile.json");
        const QStringList envs = moltctl({QStringLiteral("--profile"), profile, QStringLiteral("__complete"),
                                          QStringLiteral("envs")})
                                     .out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(envs.contains(QLatin1String("development")) && envs.contains(QLatin1String("legacy")),
                 qPrintable(envs.join(QLatin1Char(' '))));
        QCOMPARE(complete({QStringLiteral("moltctl"), QStringLiteral("--profile"), profile,
                           QStringLiteral("sync"), QString()}),
                 envs);
        QCOMPARE(complete({QStringLiteral("moltctl"), QStringLiteral("--profile"), profile,
                           QStringLiteral("stamp"), QStringLiteral("x"), QStringLiteral("--confirm"),
                           QStringLiteral("dev")}),
                 QStringList{QStringLiteral("development")});
        // After the last argument there is nothing more to complete.
        QCOMPARE(complete({QStringLiteral("moltctl"), QStringLiteral("--profile"), profile,
                           QStringLiteral("stamp"), QStringLiteral("development"), QString()}),
                 QStringList{});
    }

    // README.md's moltctl block lists exactly the table's commands, each with the table's synopsis.
    void readmeListsTheCommands()
    {
        QFile f(qEnvironmentVariable("MOLTDESK_SOURCE_DIR") + QStringLiteral("/README.md"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString readme = QString::fromUtf8(f.readAll());
        const qsizetype section = readme.indexOf(QLatin1String("\n## moltctl\n"));
        QVERIFY(section >= 0);
        const qsizetype open = readme.indexOf(QLatin1String("```\n"), section) + 4;
        const qsizetype close = readme.indexOf(QLatin1String("```"), open);
        const QStringList lines = readme.mid(open, close - open).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(!lines.isEmpty());
        QCOMPARE(lines.first(), programSynopsis(moltctlHelp()));
        QStringList documented;
        for (const QString &l : lines.mid(1))
            documented << l.trimmed().split(QRegularExpression(QStringLiteral("\\s{2,}"))).first();
        QStringList expected;
        for (const HelpCommand &c : moltctlHelp().commands)
            if (!c.hidden)
                expected << commandSynopsis(c);
        QCOMPARE(documented, expected);
    }
};

QTEST_GUILESS_MAIN(TestHelpDocs)
#include "tst_helpdocs.moc"
