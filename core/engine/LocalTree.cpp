#include "LocalTree.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

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
bool walk(const QByteArray &dir, const QString &rel, const ExcludeRules &rules, const CancelToken &cancel,
          LocalScan &out, QString &error)
{
    DIR *d = ::opendir(dir.constData());
    if (!d) {
        out.warnings << QStringLiteral("cannot read folder %1: %2")
                            .arg(QString::fromLocal8Bit(dir), QString::fromLocal8Bit(std::strerror(errno)));
        return true;
    }
    const int fd = ::dirfd(d);
    QList<std::pair<QByteArray, struct stat>> entries;
    while (struct dirent *e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st;
        if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        entries.append({QByteArray(e->d_name), st});
    }
    ::closedir(d);
    for (const auto &[name, st] : std::as_const(entries)) {
        if (cancel.isCancelled()) {
            error = QStringLiteral("cancelled");
            return false;
        }
        const QString uname = QString::fromUtf8(name);
        const QString path = rel.isEmpty() ? uname : rel + QLatin1Char('/') + uname;
        if (S_ISLNK(st.st_mode)) {
            out.warnings << QStringLiteral("skipped symbolic link %1").arg(path);
        } else if (S_ISDIR(st.st_mode)) {
            if (rules.excludesDir(path))
                continue;
            if (!walk(dir + '/' + name, path, rules, cancel, out, error))
                return false;
        } else if (S_ISREG(st.st_mode)) {
            if (rules.excludesFile(path))
                continue;
            LocalFile f;
            f.relativePath = path;
            f.absolutePath = QFile::decodeName(dir + '/' + name);
            f.size = st.st_size;
            f.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
            out.files.append(f);
        } else {
            out.warnings << QStringLiteral("skipped %1: not a regular file").arg(path);
        }
    }
    return true;
}
} // namespace

Result<LocalScan> LocalTree::scan(const QString &root, const ExcludeRules &rules, const CancelToken &cancel)
{
    LocalScan out;
    struct stat st;
    const QByteArray native = QFile::encodeName(root);
    if (::stat(native.constData(), &st) != 0)
        return out; // rootExists = false: the caller decides whether that is fatal
    if (!S_ISDIR(st.st_mode))
        return makeError(ErrorKind::InvalidInput, QStringLiteral("%1 is not a folder").arg(root), root);
    out.rootExists = true;
    QString error;
    if (!walk(native, QString(), rules, cancel, out, error))
        return makeError(ErrorKind::Cancelled, error);
    std::sort(out.files.begin(), out.files.end(),
              [](const LocalFile &a, const LocalFile &b) { return a.relativePath < b.relativePath; });
    return out;
}

} // namespace moltdesk
