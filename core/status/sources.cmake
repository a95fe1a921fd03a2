target_sources(moltdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/EnvironmentStatus.cpp ${CMAKE_CURRENT_LIST_DIR}/EnvironmentStatus.h
    ${CMAKE_CURRENT_LIST_DIR}/StatusCollector.cpp ${CMAKE_CURRENT_LIST_DIR}/StatusCollector.h
    ${CMAKE_CURRENT_LIST_DIR}/ActivityLog.cpp ${CMAKE_CURRENT_LIST_DIR}/ActivityLog.h)
