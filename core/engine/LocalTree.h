#pragma once

#include "CancelToken.h"
#include "Result.h"

#include <QList>
#include <QRegularExpression>
#include <QStringList>
#include <functional>

namespace moltdesk {

// The profile's exclude globs, rsync-like: a pattern without '/' matches a name at any depth
// (`*.lock`); one with '/' matches a path at any depth (`.git/**` skips every .git folder);
// `*` stays within a name, `**` crosses folders.
class ExcludeRules
{
public:
    explicit ExcludeRules(const QStringList &patterns = {});
    bool excludesFile(const QString &relativePath) const;
    bool excludesDir(const QString &relativeDir) const;

private:
    QList<QRegularExpression> m_file;
    QList<QRegularExpression> m_dir;
};

struct LocalFile
{
    QString relativePath; // '/'-separated, under the scanned root
    QString absolutePath;
    qint64 size = 0;
    qint64 mtimeNs = 0;
};

struct LocalScan
{
    bool rootExists = false;
    QList<LocalFile> files; // sorted by relativePath
    QStringList warnings;   // skipped links, unreadable folders
};

// Walks a source tree without following symbolic links (a link loop or a link to /etc can neither
// hang a sync nor upload what is outside the tree).
class LocalTree
{
public:
    static Result<LocalScan> scan(const QString &root, const ExcludeRules &rules,
                                  const CancelToken &cancel = {});
    // The same walk without holding the tree: `visit` sees every file in relativePath order (the
    // order scan() returns), so a sync of a million files plans while it reads the disk. True when
    // the root exists; warnings as in LocalScan.
    using FileVisitor = std::function<void(const LocalFile &)>;
    static Result<bool> walk(const QString &root, const ExcludeRules &rules, const CancelToken &cancel,
                             QStringList &warnings, const FileVisitor &visit);
    // Whether `root` can be walked: true when it is a folder, false when it does not exist, an
    // InvalidInput error when it is something else (a file where a folder was configured).
    static Result<bool> checkRoot(const QString &root);
};

} // namespace moltdesk
