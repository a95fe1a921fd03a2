#pragma once

// A deterministic tree shaped like a Moltbot backup (config, paired devices, sessions, memory notes,
// skills, a few large assets): the same shape as the standard benchmark workload, at any scale.
// Same arguments, same bytes.

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

namespace moltdesk::test {

struct TestTree
{
    static void write(const QString &root, const QString &rel, qint64 size, std::mt19937_64 &rng)
    {
        const QString path = root + QLatin1Char('/') + rel;
        QDir().mkpath(QFileInfo(path).absolutePath());
        QByteArray data(size, Qt::Uninitialized);
        for (qint64 i = 0; i < size; i += 8) {
            const quint64 v = rng();
            std::memcpy(data.data() + i, &v, size_t(std::min<qint64>(8, size - i)));
        }
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(data);
    }

    // small files (sessions 50%, memory notes 30%, skills 20%), `big` assets of `bigMiB` MiB each.
    static void make(const QString &root, int small = 3000, int big = 5, int bigMiB = 8)
    {
        std::mt19937_64 rng(42);
        std::lognormal_distribution<double> sizes(8.0, 1.2);
        std::uniform_real_distribution<double> kind(0.0, 1.0);
        write(root, QStringLiteral("clawdbot/clawdbot.json"), 4000, rng);
        write(root, QStringLiteral("clawdbot/devices/paired.json"), 2000, rng);
        for (int i = 0; i < small; ++i) {
            const double k = kind(rng);
            QString path;
            if (k < 0.5)
                path =
                    QStringLiteral("clawdbot/agents/main/sessions/s%1.jsonl").arg(i, 5, 10, QLatin1Char('0'));
            else if (k < 0.8)
                path = QStringLiteral("workspace/memory/%1/note%2.md")
                           .arg(i % 50, 2, 10, QLatin1Char('0'))
                           .arg(i, 5, 10, QLatin1Char('0'));
            else
                path = QStringLiteral("skills/skill%1/file%2.txt")
                           .arg(i % 40, 2, 10, QLatin1Char('0'))
                           .arg(i, 5, 10, QLatin1Char('0'));
            const qint64 size = qint64(std::min(65536.0, std::max(200.0, sizes(rng))));
            write(root, path, size, rng);
        }
        for (int i = 0; i < big; ++i)
            write(root, QStringLiteral("workspace/assets/big%1.bin").arg(i), qint64(bigMiB) * 1024 * 1024,
                  rng);
    }

    static QStringList files(const QString &root)
    {
        QStringList out;
        QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            out << QDir(root).relativeFilePath(it.next());
        std::sort(out.begin(), out.end());
        return out;
    }

    // Appends 10 bytes to n files chosen by seed; returns their relative paths.
    static QStringList touch(const QString &root, int n, int seed)
    {
        QStringList all = files(root);
        std::mt19937_64 rng{quint64(seed)};
        std::shuffle(all.begin(), all.end(), rng);
        const QStringList chosen = all.mid(0, n);
        for (const QString &rel : chosen) {
            QFile f(root + QLatin1Char('/') + rel);
            if (f.open(QIODevice::Append))
                f.write(QByteArray(10, 'x'));
        }
        return chosen;
    }

    // relative path -> MD5 of every file, to compare trees byte for byte.
    static QMap<QString, QByteArray> digests(const QString &root, const QStringList &skip = {})
    {
        QMap<QString, QByteArray> out;
        for (const QString &rel : files(root)) {
            if (skip.contains(rel))
                continue;
            QFile f(root + QLatin1Char('/') + rel);
            f.open(QIODevice::ReadOnly);
            out.insert(rel, QCryptographicHash::hash(f.readAll(), QCryptographicHash::Md5).toHex());
        }
        return out;
    }
};

} // namespace moltdesk::test
