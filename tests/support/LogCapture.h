#pragma once

// Every message the process logs from install() on, kept for the secret-leak searches; each message
// still reaches the handler that was there before. Process-wide because Qt's message handler is.

#include <QByteArray>
#include <QMutex>
#include <QMutexLocker>
#include <QtGlobal>

namespace moltdesk::test {

class LogCapture
{
public:
    static void install() { s_previous = qInstallMessageHandler(&LogCapture::capture); }
    static QByteArray text()
    {
        QMutexLocker lock(&s_mutex);
        return s_log;
    }

private:
    static void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        {
            QMutexLocker lock(&s_mutex);
            s_log += message.toUtf8() + '\n';
        }
        s_previous(type, context, message);
    }

    static inline QMutex s_mutex;
    static inline QByteArray s_log;
    static inline QtMessageHandler s_previous = nullptr;
};

} // namespace moltdesk::test
