#pragma once
// Where secrets would leak to disk: every file under a folder, searched for each secret's bytes.
// The operator's own secret files (.dev.vars*) are where keys belong and are left out. A file that
// cannot be read counts as a finding: a search that could not look is not a clean result.
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

namespace moltdesk::test {

struct SecretScan
{
    int searched = 0;      // files read
    QStringList findings;  // "secret found in PATH" / "cannot read PATH"
    QStringList filesSeen; // every path read, so a test can check the search reached what it must
};

inline SecretScan scanForSecrets(const QString &root, const QList<QByteArray> &secrets)
{
    SecretScan scan;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (QFileInfo(path).fileName().startsWith(QLatin1String(".dev.vars")))
            continue;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            scan.findings << QStringLiteral("cannot read %1").arg(path);
            continue;
        }
        const QByteArray data = f.readAll();
        ++scan.searched;
        scan.filesSeen << path;
        for (const QByteArray &s : secrets) {
            if (data.contains(s)) {
                scan.findings << QStringLiteral("secret found in %1").arg(path);
                break;
            }
        }
    }
    return scan;
}

} // namespace moltdesk::test
