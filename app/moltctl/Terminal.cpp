#include "Terminal.h"

#include <cstdio>
#include <unistd.h>

namespace moltdesk {

Terminal::Terminal() : m_tty(::isatty(STDERR_FILENO) == 1) {}

void Terminal::out(const QString &text)
{
    QMutexLocker lock(&m_mutex);
    const QByteArray b = text.toUtf8();
    std::fwrite(b.constData(), 1, size_t(b.size()), stdout);
    if (!text.endsWith(QLatin1Char('\n')))
        std::fputc('\n', stdout);
    std::fflush(stdout);
}

void Terminal::err(const QString &text)
{
    QMutexLocker lock(&m_mutex);
    if (m_progressShown) {
        std::fputs("\r\033[K", stderr);
        m_progressShown = false;
    }
    const QByteArray b = text.toUtf8();
    std::fwrite(b.constData(), 1, size_t(b.size()), stderr);
    if (!text.endsWith(QLatin1Char('\n')))
        std::fputc('\n', stderr);
    std::fflush(stderr);
}

void Terminal::progress(const JobProgress &p)
{
    if (!m_tty)
        return;
    QString line = QStringLiteral("%1: %2/%3 files · %4 / %5")
                       .arg(p.phase)
                       .arg(p.filesDone)
                       .arg(p.filesTotal)
                       .arg(formatBytes(p.bytesDone), formatBytes(p.bytesTotal));
    if (p.bytesPerSecond > 0)
        line += QStringLiteral(" · %1/s").arg(formatBytes(qint64(p.bytesPerSecond)));
    if (p.etaSeconds >= 0)
        line += QStringLiteral(" · %1 s left").arg(p.etaSeconds);
    QMutexLocker lock(&m_mutex);
    const QByteArray b = QStringLiteral("\r\033[K").toUtf8() + line.left(160).toUtf8();
    std::fwrite(b.constData(), 1, size_t(b.size()), stderr);
    std::fflush(stderr);
    m_progressShown = true;
}

void Terminal::endProgress()
{
    QMutexLocker lock(&m_mutex);
    if (m_progressShown) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
        m_progressShown = false;
    }
}

} // namespace moltdesk
