#include "Logging.h"

Q_LOGGING_CATEGORY(lcNaming, "moltdesk.naming", QtWarningMsg)
Q_LOGGING_CATEGORY(lcConfig, "moltdesk.config", QtWarningMsg)
Q_LOGGING_CATEGORY(lcCredentials, "moltdesk.credentials", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStorage, "moltdesk.storage", QtWarningMsg)
Q_LOGGING_CATEGORY(lcS3, "moltdesk.s3", QtWarningMsg)
Q_LOGGING_CATEGORY(lcNet, "moltdesk.net", QtWarningMsg)
Q_LOGGING_CATEGORY(lcMount, "moltdesk.mount", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSync, "moltdesk.sync", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRestore, "moltdesk.restore", QtWarningMsg)
Q_LOGGING_CATEGORY(lcMigrate, "moltdesk.migrate", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAudit, "moltdesk.audit", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStatus, "moltdesk.status", QtWarningMsg)
