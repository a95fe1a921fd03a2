target_sources(moltdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/BucketComparison.cpp ${CMAKE_CURRENT_LIST_DIR}/BucketComparison.h
    ${CMAKE_CURRENT_LIST_DIR}/EnvironmentComparer.cpp ${CMAKE_CURRENT_LIST_DIR}/EnvironmentComparer.h)
