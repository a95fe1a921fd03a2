#include "WorkerLogging.h"

Q_LOGGING_CATEGORY(lcWorker, "moltdesk.worker", QtWarningMsg)
