#include "RestoreJournal.h"

#include "Logging.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSaveFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

namespace moltdesk {

const QString RestoreJournal::kFileName = QStringLiteral(".moltdesk-restore-journal.json");
const QString RestoreJournal::kStagingPrefix = QStringLiteral(".moltdesk-staging-");
const QString RestoreJournal::kOldPrefix = QStringLiteral(".moltdesk-replaced-");

namespace {

bool renamePath(const QString &from, const QString &to, QString &error)
{
    if (::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0)
        return true;
    error = QStringLiteral("cannot move %1 to %2: %3")
                .arg(from, to, QString::fromLocal8Bit(std::strerror(errno)));
    return false;
}

qulonglong inodeOf(const QString &path)
{
    struct stat st;
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return qulonglong(st.st_ino);
}

bool writeFileAtomically(const QString &path, const QByteArray &data, QString &error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

// Everything staged reaches the disk before the journal that points at it does: one syncfs() of the
// staging's filesystem (the target's own), so the downloads need not fsync file by file. It also
// makes the staging's directory entries and hard links durable, which per-file fsyncs did not.
Status syncStaging(const QString &stagingDir)
{
    const int fd = ::open(QFile::encodeName(stagingDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return makeError(ErrorKind::Local,
                         QStringLiteral("cannot open the staged restore %1: %2")
                             .arg(stagingDir, QString::fromLocal8Bit(std::strerror(errno))));
    const int rc = ::syncfs(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        return makeError(ErrorKind::Local, QStringLiteral("cannot write the staged restore %1 to disk: %2")
                                               .arg(stagingDir, QString::fromLocal8Bit(std::strerror(err))));
    return success();
}

QString journalPath(const QString &targetDir)
{
    return targetDir + QLatin1Char('/') + RestoreJournal::kFileName;
}

// One folder into place. The target path always holds a complete old or a complete new folder.
Status swapOne(const RestoreJournal::Swap &s)
{
    QString error;
    if (inodeOf(s.target) == s.stagedInode) {
        // Already swapped; what is left at the staged path is the old folder.
        if (QFileInfo::exists(s.staged)) {
            QDir().mkpath(QFileInfo(s.old).absolutePath());
            if (!renamePath(s.staged, s.old, error))
                return makeError(ErrorKind::Local, error, s.target);
        }
        return success();
    }
    if (inodeOf(s.staged) != s.stagedInode)
        return makeError(ErrorKind::Local,
                         QStringLiteral("the staged copy of %1 is gone; run the restore again").arg(s.target),
                         s.target);
    if (QFileInfo::exists(s.target) || QFileInfo(s.target).isSymLink()) {
        // Swap the two folders in one step, then move the old one out of the way.
        QDir().mkpath(QFileInfo(s.old).absolutePath());
        if (::renameat2(AT_FDCWD, QFile::encodeName(s.staged).constData(), AT_FDCWD,
                        QFile::encodeName(s.target).constData(), RENAME_EXCHANGE) == 0) {
            if (!renamePath(s.staged, s.old, error))
                return makeError(ErrorKind::Local, error, s.target);
            return success();
        }
        // Filesystems without RENAME_EXCHANGE: two renames, the journal covers the gap.
        if (!renamePath(s.target, s.old, error))
            return makeError(ErrorKind::Local, error, s.target);
    }
    if (!renamePath(s.staged, s.target, error))
        return makeError(ErrorKind::Local, error, s.target);
    return success();
}

} // namespace

RestoreJournal RestoreJournal::begin(const QString &targetDir, const QString &backupDir,
                                     const QByteArray &lastSync)
{
    const QString suffix = QString::number(QRandomGenerator::global()->generate64(), 36);
    RestoreJournal j;
    j.stagingDir = targetDir + QLatin1Char('/') + kStagingPrefix + suffix;
    j.oldDir = targetDir + QLatin1Char('/') + kOldPrefix + suffix;
    j.backupDir = backupDir;
    j.lastSync = lastSync;
    return j;
}

void RestoreJournal::addSwap(const QString &targetDir, const QString &root)
{
    const QString staged = stagingDir + QLatin1Char('/') + root;
    swaps.append(
        {targetDir + QLatin1Char('/') + root, staged, oldDir + QLatin1Char('/') + root, inodeOf(staged)});
}

QByteArray RestoreJournal::toJson() const
{
    QJsonArray arr;
    for (const Swap &s : swaps)
        arr.append(QJsonObject{{QStringLiteral("target"), s.target},
                               {QStringLiteral("staged"), s.staged},
                               {QStringLiteral("old"), s.old},
                               {QStringLiteral("inode"), QString::number(s.stagedInode)}});
    return QJsonDocument(QJsonObject{{QStringLiteral("swaps"), arr},
                                     {QStringLiteral("staging"), stagingDir},
                                     {QStringLiteral("old"), oldDir},
                                     {QStringLiteral("backup"), backupDir},
                                     {QStringLiteral("lastSync"), QString::fromLatin1(lastSync)}})
        .toJson();
}

Result<RestoreJournal> RestoreJournal::fromJson(const QByteArray &data)
{
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    if (o.isEmpty())
        return makeError(ErrorKind::Corrupted, QStringLiteral("the restore journal is damaged"));
    RestoreJournal j;
    for (const QJsonValue &v : o.value(QLatin1String("swaps")).toArray()) {
        const QJsonObject s = v.toObject();
        j.swaps.append({s.value(QLatin1String("target")).toString(),
                        s.value(QLatin1String("staged")).toString(), s.value(QLatin1String("old")).toString(),
                        s.value(QLatin1String("inode")).toString().toULongLong()});
    }
    j.stagingDir = o.value(QLatin1String("staging")).toString();
    j.oldDir = o.value(QLatin1String("old")).toString();
    j.backupDir = o.value(QLatin1String("backup")).toString();
    j.lastSync = o.value(QLatin1String("lastSync")).toString().toLatin1();
    return j;
}

Status RestoreJournal::write(const QString &targetDir) const
{
    if (const Status s = syncStaging(stagingDir); !s)
        return s;
    QString error;
    if (!writeFileAtomically(journalPath(targetDir), toJson(), error))
        return makeError(ErrorKind::Local, error);
    return success();
}

Result<std::optional<RestoreJournal>> RestoreJournal::read(const QString &targetDir)
{
    QFile f(journalPath(targetDir));
    if (!f.open(QIODevice::ReadOnly))
        return std::optional<RestoreJournal>();
    Result<RestoreJournal> j = fromJson(f.readAll());
    if (!j)
        return makeError(ErrorKind::Local, QStringLiteral("restore journal %1 is damaged; inspect %2 by hand")
                                               .arg(journalPath(targetDir), targetDir));
    return std::optional<RestoreJournal>(std::move(j).value());
}

Status RestoreJournal::rollForward(const QString &targetDir) const
{
    for (const Swap &s : swaps) {
        if (const Status st = swapOne(s); !st)
            return st;
    }
    QString error;
    if (!lastSync.isEmpty() &&
        !writeFileAtomically(targetDir + QStringLiteral("/.last-sync"), lastSync, error))
        return makeError(ErrorKind::Local, error);
    // The new data is in place: deal with what it replaced, then the staging, and only then the
    // journal, so an interruption anywhere here is finished by recover() and leaves no leftovers.
    if (!backupDir.isEmpty() && QFileInfo::exists(oldDir)) {
        QDir().mkpath(backupDir);
        const QString dest = backupDir + QStringLiteral("/restore-") +
                             QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        if (!renamePath(oldDir, dest, error)) // another filesystem: leave it where it is, and say so
            qCWarning(lcRestore) << "kept replaced files in" << oldDir << ":" << error;
    } else if (QFileInfo::exists(oldDir)) {
        QDir(oldDir).removeRecursively();
    }
    QDir(stagingDir).removeRecursively();
    QFile::remove(journalPath(targetDir));
    return success();
}

void RestoreJournal::rollBack(const QString &targetDir)
{
    const QDir dir(targetDir);
    const auto leftovers =
        dir.entryList({kStagingPrefix + QLatin1Char('*')}, QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QString &d : leftovers)
        QDir(targetDir + QLatin1Char('/') + d).removeRecursively();
}

Status RestoreJournal::recover(const QString &targetDir)
{
    const Result<std::optional<RestoreJournal>> journal = read(targetDir);
    if (!journal)
        return journal.error();
    if (!journal.value()) {
        rollBack(targetDir);
        return success();
    }
    qCInfo(lcRestore) << "completing an interrupted restore in" << targetDir;
    return journal.value()->rollForward(targetDir);
}

} // namespace moltdesk
