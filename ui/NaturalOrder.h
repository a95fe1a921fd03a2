#pragma once

#include <QCollator>

namespace moltdesk {

// The collator for names people read (keys, files): numeric mode, so `blob2` comes before `blob10`,
// and case-insensitive. QCollator ignores numeric mode for the C/POSIX locale (the usual one in
// containers, over SSH and in CI), so that locale is compared as English instead.
inline QCollator naturalCollator()
{
    const QLocale system;
    QCollator c(system.language() == QLocale::C ? QLocale(QLocale::English) : system);
    c.setNumericMode(true);
    c.setCaseSensitivity(Qt::CaseInsensitive);
    return c;
}

} // namespace moltdesk
