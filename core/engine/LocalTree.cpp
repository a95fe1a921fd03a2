#include "LocalTree.h"

#include <QFile>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <vector>

namespace moltdesk {

namespace {
QString globToRegex(const QString &glob)
{
    QString rx;
    for (qsizetype i = 0; i < glob.size(); ++i) {
        const QChar c = glob.at(i);
        if (c == QLatin1Char('*')) {
            if (i + 1 < glob.size() && glob.at(i + 1) == QLatin1Char('*')) {
                rx += QStringLiteral(".*");
                ++i;
            } else {
                rx += QStringLiteral("[^/]*");
            }
        } else if (c == QLatin1Char('?')) {
            rx += QStringLiteral("[^/]");
        } else {
            rx += QRegularExpression::escape(QString(c));
        }
    }
    return rx;
}
} // namespace

ExcludeRules::ExcludeRules(const QStringList &patterns)
{
    for (QString p : patterns) {
        const bool anchored = p.startsWith(QLatin1Char('/'));
        if (anchored)
            p = p.mid(1);
        const QString lead = anchored ? QStringLiteral("^") : QStringLiteral("(^|.*/)");
        m_file.append(QRegularExpression(lead + globToRegex(p) + QLatin1Char('$')));
        if (p.endsWith(QLatin1String("/**")))
            m_dir.append(QRegularExpression(lead + globToRegex(p.chopped(3)) + QLatin1Char('$')));
        else if (!p.contains(QLatin1Char('/')))
            m_dir.append(QRegularExpression(lead + globToRegex(p) + QLatin1Char('$')));
    }
}

bool ExcludeRules::excludesFile(const QString &relativePath) const
{
    for (const auto &re : m_file) {
        if (re.match(relativePath).hasMatch())
            return true;
    }
    return false;
}

bool ExcludeRules::excludesDir(const QString &relativeDir) const
{
    for (const auto &re : m_dir) {
        if (re.match(relativeDir).hasMatch())
            return true;
    }
    return false;
}

namespace {
struct Walk
{
    const ExcludeRules &rules;
    const CancelToken &cancel;
    QStringList &warnings;
    const LocalTree::FileVisitor &visit;
    QString error;
};

// What the walk keeps of an entry until its folder is done: the name and the three stat fields it
// reads (a whole struct stat is 144 bytes, and a folder of thousands of files grew its list by copying).
struct DirEntry
{
    QByteArray native;
    QString name;
    mode_t mode = 0;
    qint64 size = 0;
    qint64 mtimeNs = 0;
};

// A folder sorts as "name/": then every path under it sorts where its own path does, and the whole
// walk comes out in relative-path order without sorting (or holding) the whole tree. Compared as if
// the '/' were there, without building the string.
bool walkOrder(const DirEntry &a, const DirEntry &b)
{
    const qsizetype n = qMin(a.name.size(), b.name.size());
    if (const int c = QStringView(a.name).first(n).compare(QStringView(b.name).first(n)); c != 0)
        return c < 0;
    const auto next = [n](const DirEntry &e) -> int {
        if (e.name.size() > n)
            return e.name.at(n).unicode();
        return S_ISDIR(e.mode) ? int('/') : -1; // -1: the name ended, and so does its sort key
    };
    return next(a) < next(b);
}

std::vector<DirEntry> readSorted(const QByteArray &dir, QStringList &warnings)
{
    std::vector<DirEntry> entries;
    DIR *d = ::opendir(dir.constData());
    if (!d) {
        warnings << QStringLiteral("cannot read folder %1: %2")
                        .arg(QString::fromLocal8Bit(dir), QString::fromLocal8Bit(std::strerror(errno)));
        return entries;
    }
    const int fd = ::dirfd(d);
    while (struct dirent *e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st;
        if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        DirEntry entry;
        entry.native = QByteArray(e->d_name);
        entry.name = QString::fromUtf8(entry.native);
        entry.mode = st.st_mode;
        entry.size = st.st_size;
        entry.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
        entries.push_back(std::move(entry));
    }
    ::closedir(d);
    std::sort(entries.begin(), entries.end(), walkOrder);
    return entries;
}

bool walkDir(const QByteArray &dir, const QString &rel, Walk &w)
{
    for (const DirEntry &e : readSorted(dir, w.warnings)) {
        if (w.cancel.isCancelled()) {
            w.error = QStringLiteral("cancelled");
            return false;
        }
        const QString path = rel.isEmpty() ? e.name : rel + QLatin1Char('/') + e.name;
        if (S_ISLNK(e.mode)) {
            w.warnings << QStringLiteral("skipped symbolic link %1").arg(path);
        } else if (S_ISDIR(e.mode)) {
            if (!w.rules.excludesDir(path) && !walkDir(dir + '/' + e.native, path, w))
                return false;
        } else if (S_ISREG(e.mode)) {
            if (w.rules.excludesFile(path))
                continue;
            LocalFile f;
            f.relativePath = path;
            f.absolutePath = QFile::decodeName(dir + '/' + e.native);
            f.size = e.size;
            f.mtimeNs = e.mtimeNs;
            w.visit(f);
        } else {
            w.warnings << QStringLiteral("skipped %1: not a regular file").arg(path);
        }
    }
    return true;
}
} // namespace

Result<bool> LocalTree::walk(const QString &root, const ExcludeRules &rules, const CancelToken &cancel,
                             QStringList &warnings, const FileVisitor &visit)
{
    const Result<bool> exists = checkRoot(root);
    if (!exists || !exists.value())
        return exists;
    Walk w{rules, cancel, warnings, visit, {}};
    if (!walkDir(QFile::encodeName(root), QString(), w))
        return makeError(ErrorKind::Cancelled, w.error);
    return true;
}

Result<bool> LocalTree::checkRoot(const QString &root)
{
    struct stat st;
    if (::stat(QFile::encodeName(root).constData(), &st) != 0)
        return false; // the root does not exist: the caller decides whether that is fatal
    if (!S_ISDIR(st.st_mode))
        return makeError(ErrorKind::InvalidInput, QStringLiteral("%1 is not a folder").arg(root), root);
    return true;
}

Result<LocalScan> LocalTree::scan(const QString &root, const ExcludeRules &rules, const CancelToken &cancel)
{
    LocalScan out;
    auto exists =
        walk(root, rules, cancel, out.warnings, [&out](const LocalFile &f) { out.files.append(f); });
    if (!exists)
        return exists.error();
    out.rootExists = exists.value();
    return out;
}

} // namespace moltdesk
