#pragma once

// The standard workload tree (tests/support/gen_tree.py: 3,007 files, about 60 MB, deterministic), for
// tests that need exactly the tree the benchmarks and the other tools use. It runs the project's own
// generator with the system Python, so every consumer (C++, shell, benchmarks) gets the same bytes.
//
//   QString err;
//   QVERIFY2(moltdesk::test::WorkloadTree::generate(dir, &err), qPrintable(err));            // standard
//   QVERIFY2(moltdesk::test::WorkloadTree::generate(dir, 200, 1, 1, &err), qPrintable(err)); // smaller
//   QVERIFY2(moltdesk::test::WorkloadTree::touch(dir, 25, 7, &err), qPrintable(err));        // change 25

#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace moltdesk::test {

struct WorkloadTree
{
    static constexpr int standardFiles = 3007;
    static constexpr qint64 standardBytes = 59454177;

    // $MOLTDESK_SOURCE_DIR/tests/support/gen_tree.py (moltdesk_add_test sets MOLTDESK_SOURCE_DIR).
    static QString script()
    {
        return qEnvironmentVariable("MOLTDESK_SOURCE_DIR") + QStringLiteral("/tests/support/gen_tree.py");
    }

    static bool generate(const QString &dir, QString *error = nullptr) { return generate(dir, 3000, 5, 8, error); }
    static bool generate(const QString &dir, int small, int big, int bigMib, QString *error = nullptr)
    {
        return run({dir, QString::number(small), QString::number(big), QString::number(bigMib)}, error);
    }
    // Appends 10 bytes to n files chosen by seed (the benchmarks' "incremental" change).
    static bool touch(const QString &dir, int n, int seed, QString *error = nullptr)
    {
        return run({dir, QStringLiteral("--touch"), QString::number(n), QString::number(seed)}, error);
    }

private:
    static bool run(const QStringList &args, QString *error)
    {
        const QString gen = script();
        if (!QFileInfo::exists(gen)) {
            if (error)
                *error = QStringLiteral("no generator at \"%1\": is MOLTDESK_SOURCE_DIR set (run through ctest)?").arg(gen);
            return false;
        }
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("/usr/bin/python3"), QStringList{gen} + args);
        const bool finished = p.waitForFinished(600000);
        if (finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return true;
        if (error)
            *error = QStringLiteral("gen_tree.py %1 failed: %2").arg(args.join(QLatin1Char(' ')),
                                                                   QString::fromUtf8(p.readAll()) + p.errorString());
        return false;
    }
};

} // namespace moltdesk::test
