#pragma once

#include "Plan.h"

#include <QMutex>
#include <QString>

namespace moltdesk {

// Output for people: stdout for results, stderr for progress and messages. Progress redraws one
// line only when stderr is a terminal; piped output stays clean.
class Terminal
{
public:
    Terminal();
    void out(const QString &text);
    void err(const QString &text);
    void progress(const JobProgress &p);
    void endProgress();
    bool isInteractive() const { return m_tty; }

private:
    QMutex m_mutex;
    bool m_tty = false;
    bool m_progressShown = false;
};

} // namespace moltdesk
