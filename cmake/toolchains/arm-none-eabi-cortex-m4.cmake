# Cross toolchain for Cortex-M4F firmware images (ARMv7E-M, single-precision FPU,
# hard-float ABI), bare metal, with Debian's gcc-arm-none-eabi and newlib.
#
# Every translation unit is freestanding C++20 without exceptions, RTTI,
# thread-safe statics or atexit registration (the firmware never exits); code
# and data go in their own sections so that --gc-sections drops what no image
# uses. -Os comes from the build type (MinSizeRel); -g only adds debug sections
# to the ELF, nothing to flash. Linking uses newlib-nano (nano.specs) for the
# few libc functions the compiler emits calls to (memcpy, memset, ...), no start
# files and no system calls: a target brings its own startup code and linker
# script.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

find_program(CMAKE_CXX_COMPILER arm-none-eabi-g++ REQUIRED)
find_program(METERGEN_ARM_SIZE arm-none-eabi-size REQUIRED)
find_program(METERGEN_ARM_NM arm-none-eabi-nm REQUIRED)
find_program(METERGEN_ARM_READELF arm-none-eabi-readelf REQUIRED)

# try_compile cannot link without a linker script.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(METERGEN_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard")
set(CMAKE_CXX_FLAGS_INIT
    "${METERGEN_CPU_FLAGS} -g -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit -ffunction-sections -fdata-sections")
set(CMAKE_EXE_LINKER_FLAGS_INIT "--specs=nano.specs -nostartfiles -Wl,--gc-sections")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
