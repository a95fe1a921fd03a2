#pragma once

#include <QLoggingCategory>

// The worker module's own category (QT_LOGGING_RULES="moltdesk.worker.debug=true"). It never carries
// the Access service token: requests are logged as method and path only.
Q_DECLARE_LOGGING_CATEGORY(lcWorker)
