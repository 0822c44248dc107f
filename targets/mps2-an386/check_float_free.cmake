# Checks that metrology's object file calls no double-precision routine of the
# run-time library (__aeabi_d*: soft-float on the Cortex-M4's single-precision
# FPU), so its once-a-second maths stays in float (docs/metrology.md).
# Usage: cmake -DNM=<arm-none-eabi-nm> "-DOBJECTS=<object|object|...>" -P check_float_free.cmake
string(REPLACE "|" ";" objects "${OBJECTS}")
list(FILTER objects INCLUDE REGEX "/metrology/metrology\\.cpp\\.obj$")
list(LENGTH objects count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one metrology/metrology.cpp object, found ${count}")
endif()
execute_process(COMMAND ${NM} -u ${objects} OUTPUT_VARIABLE undefined RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} ${objects} failed")
endif()
string(REGEX MATCHALL "__aeabi_d[a-z0-9]*" found "${undefined}")
if(found)
  message(FATAL_ERROR "metrology calls double-precision routines: ${found}")
endif()
message(STATUS "metrology calls no double-precision routine")
