target_sources(moltdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/NetworkSettings.cpp ${CMAKE_CURRENT_LIST_DIR}/NetworkSettings.h)
target_include_directories(moltdesk_core PUBLIC ${CMAKE_CURRENT_LIST_DIR})
