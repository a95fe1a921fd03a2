#pragma once

#include <QByteArray>
#include <QFile>

// One field of /proc/self/status in KiB ("VmRSS", "VmHWM"), or -1 when it cannot be read: the memory
// figures the tests and benchmarks check are the kernel's, not the allocator's.
inline qint64 procStatusKiB(const QByteArray &field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = field + ':';
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    return -1;
}
