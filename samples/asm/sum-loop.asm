# Sums 1..10000 in a bounded loop: a loop-heavy program for the VM benchmark.
    mov %r0, 0
    mov %r1, 0
loop:
    add %r1, 1
    add %r0, %r1
    jlt %r1, 10000, loop
    exit
