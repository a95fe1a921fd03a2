target_sources(moltdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/AuditCheck.h
    ${CMAKE_CURRENT_LIST_DIR}/checks/BuiltInChecks.h ${CMAKE_CURRENT_LIST_DIR}/checks/BuiltInChecks.cpp
    ${CMAKE_CURRENT_LIST_DIR}/checks/CheckBase.h
    ${CMAKE_CURRENT_LIST_DIR}/checks/NamingCheck.cpp ${CMAKE_CURRENT_LIST_DIR}/checks/PathsCheck.cpp
    ${CMAKE_CURRENT_LIST_DIR}/checks/AccessCheck.cpp ${CMAKE_CURRENT_LIST_DIR}/checks/MarkerCheck.cpp
    ${CMAKE_CURRENT_LIST_DIR}/checks/CredentialsCheck.cpp ${CMAKE_CURRENT_LIST_DIR}/checks/LeakCheck.cpp
    ${CMAKE_CURRENT_LIST_DIR}/checks/FreshnessCheck.cpp ${CMAKE_CURRENT_LIST_DIR}/checks/LeftoverCheck.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AuditReport.cpp ${CMAKE_CURRENT_LIST_DIR}/AuditReport.h
    ${CMAKE_CURRENT_LIST_DIR}/DataFlow.cpp ${CMAKE_CURRENT_LIST_DIR}/DataFlow.h
    ${CMAKE_CURRENT_LIST_DIR}/AuditText.cpp ${CMAKE_CURRENT_LIST_DIR}/AuditText.h
    ${CMAKE_CURRENT_LIST_DIR}/IsolationAudit.cpp ${CMAKE_CURRENT_LIST_DIR}/IsolationAudit.h
    ${CMAKE_CURRENT_LIST_DIR}/MountInfo.cpp ${CMAKE_CURRENT_LIST_DIR}/MountInfo.h
    ${CMAKE_CURRENT_LIST_DIR}/StartScript.cpp ${CMAKE_CURRENT_LIST_DIR}/StartScript.h
    ${CMAKE_CURRENT_LIST_DIR}/StartScriptEvaluator.cpp ${CMAKE_CURRENT_LIST_DIR}/StartScriptEvaluator.h
    ${CMAKE_CURRENT_LIST_DIR}/ShellLexer.cpp ${CMAKE_CURRENT_LIST_DIR}/ShellLexer.h
    ${CMAKE_CURRENT_LIST_DIR}/ShellExpansion.cpp ${CMAKE_CURRENT_LIST_DIR}/ShellExpansion.h)
