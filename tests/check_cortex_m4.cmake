# Compiles every runtime source for Cortex-M4 with arm-none-eabi-g++, freestanding,
# without exceptions or RTTI, warnings as errors: the runtime must stay firmware.
# Usage: cmake -DSOURCE=<repo> -DOUT=<dir> -P check_cortex_m4.cmake
find_program(ARM_GXX arm-none-eabi-g++ REQUIRED)
file(GLOB_RECURSE sources ${SOURCE}/runtime/src/*.cpp)
file(MAKE_DIRECTORY ${OUT})
set(total 0)
foreach(src ${sources})
  get_filename_component(name ${src} NAME_WE)
  execute_process(
    COMMAND ${ARM_GXX} -std=c++20 -mcpu=cortex-m4 -mthumb -Os -ffreestanding -fno-exceptions -fno-rtti
            -Wall -Wextra -Wshadow -Werror -I${SOURCE}/runtime/include -c ${src} -o ${OUT}/${name}.o
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${src} does not compile for Cortex-M4:\n${err}")
  endif()
  math(EXPR total "${total} + 1")
endforeach()
message(STATUS "${total} runtime sources compile for Cortex-M4")
