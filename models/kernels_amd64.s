#include "textflag.h"

// func dot4AVX(w *float32, stride int, x *float32, nblk int, out *[32]float32)
// out[8r+l] = lane l of the exact dot product of row r (w + r·stride bytes)
// with x over nblk blocks of 8: acc = acc + round(w·x), multiply then add.
TEXT ·dot4AVX(SB), NOSPLIT, $0-40
	MOVQ w+0(FP), SI
	MOVQ stride+8(FP), DX
	MOVQ x+16(FP), DI
	MOVQ nblk+24(FP), CX
	MOVQ out+32(FP), R8
	LEAQ (SI)(DX*1), R9
	LEAQ (R9)(DX*1), R10
	LEAQ (R10)(DX*1), R11
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ AX, AX
	TESTQ CX, CX
	JEQ done

loop:
	VMOVUPS (DI)(AX*1), Y4
	VMULPS (SI)(AX*1), Y4, Y5
	VADDPS Y5, Y0, Y0
	VMULPS (R9)(AX*1), Y4, Y6
	VADDPS Y6, Y1, Y1
	VMULPS (R10)(AX*1), Y4, Y7
	VADDPS Y7, Y2, Y2
	VMULPS (R11)(AX*1), Y4, Y8
	VADDPS Y8, Y3, Y3
	ADDQ $32, AX
	DECQ CX
	JNZ loop

done:
	VMOVUPS Y0, (R8)
	VMOVUPS Y1, 32(R8)
	VMOVUPS Y2, 64(R8)
	VMOVUPS Y3, 96(R8)
	VZEROUPPER
	RET

// Constants for the Q4_0 nibble unpacking.
DATA nib0F<>+0(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nib0F<>+8(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nib0F<>+16(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nib0F<>+24(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL nib0F<>(SB), RODATA|NOPTR, $32
DATA nib08<>+0(SB)/8, $0x0808080808080808
DATA nib08<>+8(SB)/8, $0x0808080808080808
DATA nib08<>+16(SB)/8, $0x0808080808080808
DATA nib08<>+24(SB)/8, $0x0808080808080808
GLOBL nib08<>(SB), RODATA|NOPTR, $32

// func q8BlockSumsAVX2(w *byte, x *int8, nb int, out *int32)
// out[b] = Σ_j int8(w[34b+2+j])·x[32b+j] exactly in int32 (the order of
// integer additions does not matter).
TEXT ·q8BlockSumsAVX2(SB), NOSPLIT, $0-32
	MOVQ w+0(FP), SI
	MOVQ x+8(FP), DI
	MOVQ nb+16(FP), CX
	MOVQ out+24(FP), R8
	VPCMPEQW Y7, Y7, Y7
	VPSRLW $15, Y7, Y7 // int16 ones
	TESTQ CX, CX
	JEQ q8done

q8loop:
	VMOVDQU 2(SI), Y0
	VMOVDQU (DI), Y1
	VPSIGNB Y0, Y0, Y2
	VPSIGNB Y0, Y1, Y3
	VPMADDUBSW Y3, Y2, Y4
	VPMADDWD Y7, Y4, Y5
	VEXTRACTI128 $1, Y5, X6
	VPADDD X6, X5, X5
	VPSHUFD $0x4e, X5, X6
	VPADDD X6, X5, X5
	VPSHUFD $0xb1, X5, X6
	VPADDD X6, X5, X5
	VMOVD X5, (R8)
	ADDQ $34, SI
	ADDQ $32, DI
	ADDQ $4, R8
	DECQ CX
	JNZ q8loop

q8done:
	VZEROUPPER
	RET

// func q4BlockSumsAVX2(w *byte, x *int8, nb int, out *int32)
// out[b] = Σ_j (nibble_j − 8)·x[32b+j] with nibble j < 16 the low and
// j ≥ 16 the high half of byte w[18b+2+(j mod 16)].
TEXT ·q4BlockSumsAVX2(SB), NOSPLIT, $0-32
	MOVQ w+0(FP), SI
	MOVQ x+8(FP), DI
	MOVQ nb+16(FP), CX
	MOVQ out+24(FP), R8
	VPCMPEQW Y7, Y7, Y7
	VPSRLW $15, Y7, Y7
	VMOVDQU nib0F<>(SB), Y8
	VMOVDQU nib08<>(SB), Y9
	TESTQ CX, CX
	JEQ q4done

q4loop:
	VMOVDQU 2(SI), X0
	VPSRLW $4, X0, X1
	VINSERTI128 $1, X1, Y0, Y0
	VPAND Y8, Y0, Y0
	VPSUBB Y9, Y0, Y0
	VMOVDQU (DI), Y1
	VPSIGNB Y0, Y0, Y2
	VPSIGNB Y0, Y1, Y3
	VPMADDUBSW Y3, Y2, Y4
	VPMADDWD Y7, Y4, Y5
	VEXTRACTI128 $1, Y5, X6
	VPADDD X6, X5, X5
	VPSHUFD $0x4e, X5, X6
	VPADDD X6, X5, X5
	VPSHUFD $0xb1, X5, X6
	VPADDD X6, X5, X5
	VMOVD X5, (R8)
	ADDQ $18, SI
	ADDQ $32, DI
	ADDQ $4, R8
	DECQ CX
	JNZ q4loop

q4done:
	VZEROUPPER
	RET

// Lane masks for the tail of dot8AVX: eight all-ones words, then eight zeros.
DATA tailMask<>+0(SB)/8, $0xffffffffffffffff
DATA tailMask<>+8(SB)/8, $0xffffffffffffffff
DATA tailMask<>+16(SB)/8, $0xffffffffffffffff
DATA tailMask<>+24(SB)/8, $0xffffffffffffffff
DATA tailMask<>+32(SB)/8, $0
DATA tailMask<>+40(SB)/8, $0
DATA tailMask<>+48(SB)/8, $0
DATA tailMask<>+56(SB)/8, $0
GLOBL tailMask<>(SB), RODATA|NOPTR, $64

#define ROWSTEP(off, acc) \
	VMULPS (off)(AX*1), Y8, Y9; \
	VADDPS Y9, acc, acc

// REDUCE leaves ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7)) of acc in the low
// float of acc: VHADDPS adds adjacent pairs within each 128-bit half
// (IEEE addition is commutative, so the operand order inside a pair does
// not matter), twice, then the two halves are added.
#define REDUCE(acc, xacc) \
	VHADDPS acc, acc, acc; \
	VHADDPS acc, acc, acc; \
	VEXTRACTF128 $1, acc, X9; \
	VADDSS X9, xacc, xacc

// func dot8AVX(w *float32, stride int, x *float32, n int, out *[8]float32)
// out[r] = the exact dot product (dotF32) of row r (w + r·stride bytes, n
// values) with x, for r = 0..7. Full blocks of eight are multiplied then
// added lane-wise (VMULPS, VADDPS: never fused); a partial last block is
// loaded with a mask, so absent lanes add +0·+0 = +0, which leaves a lane
// unchanged (a lane is never −0). Then the fixed reduction tree.
TEXT ·dot8AVX(SB), NOSPLIT, $0-40
	MOVQ w+0(FP), SI
	MOVQ stride+8(FP), DX
	MOVQ x+16(FP), DI
	MOVQ n+24(FP), CX
	LEAQ (SI)(DX*1), R9
	LEAQ (R9)(DX*1), R10
	LEAQ (R10)(DX*1), R11
	LEAQ (R11)(DX*1), R12
	LEAQ (R12)(DX*1), R13
	LEAQ (R13)(DX*1), R14
	LEAQ (R14)(DX*1), R15
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	MOVQ CX, BX
	SHRQ $3, BX
	XORQ AX, AX
	// R8: the next block of eight rows, prefetched while this one runs
	// (8·stride bytes over the loop: 256 bytes per 32-byte step).
	LEAQ (R15)(DX*1), R8
	TESTQ BX, BX
	JEQ d8tail

d8loop:
	PREFETCHT0 (R8)(AX*8)
	PREFETCHT0 64(R8)(AX*8)
	PREFETCHT0 128(R8)(AX*8)
	PREFETCHT0 192(R8)(AX*8)
	VMOVUPS (DI)(AX*1), Y8
	ROWSTEP(SI, Y0)
	ROWSTEP(R9, Y1)
	ROWSTEP(R10, Y2)
	ROWSTEP(R11, Y3)
	ROWSTEP(R12, Y4)
	ROWSTEP(R13, Y5)
	ROWSTEP(R14, Y6)
	ROWSTEP(R15, Y7)
	ADDQ $32, AX
	DECQ BX
	JNZ d8loop

d8tail:
	ANDQ $7, CX
	JEQ d8reduce
	// mask: lanes < CX active
	LEAQ tailMask<>(SB), BX
	NEGQ CX
	LEAQ 32(BX)(CX*4), BX
	VMOVUPS (BX), Y10
	VMASKMOVPS (DI)(AX*1), Y10, Y8
	VMASKMOVPS (SI)(AX*1), Y10, Y11
	VMULPS Y11, Y8, Y9
	VADDPS Y9, Y0, Y0
	VMASKMOVPS (R9)(AX*1), Y10, Y11
	VMULPS Y11, Y8, Y9
	VADDPS Y9, Y1, Y1
	VMASKMOVPS (R10)(AX*1), Y10, Y11
	VMULPS Y11, Y8, Y9
	VADDPS Y9, Y2, Y2
	VMASKMOVPS (R11)(AX*1), Y10, Y11
	VMULPS Y11, Y8, Y9
	VADDPS Y9, Y3, Y3
	VMASKMOVPS (R12)(AX*1), Y10, Y11
	VMULPS Y11, Y8, Y9
	VADDPS Y9, Y4, Y4
	VMASKMOVPS (R13)(AX*1), Y10, Y11
	VMULPS Y11, Y8, Y9
	VADDPS Y9, Y5, Y5
	VMASKMOVPS (R14)(AX*1), Y10, Y11
	VMULPS Y11, Y8, Y9
	VADDPS Y9, Y6, Y6
	VMASKMOVPS (R15)(AX*1), Y10, Y11
	VMULPS Y11, Y8, Y9
	VADDPS Y9, Y7, Y7

d8reduce:
	REDUCE(Y0, X0)
	REDUCE(Y1, X1)
	REDUCE(Y2, X2)
	REDUCE(Y3, X3)
	REDUCE(Y4, X4)
	REDUCE(Y5, X5)
	REDUCE(Y6, X6)
	REDUCE(Y7, X7)
	MOVQ out+32(FP), R8
	VMOVSS X0, (R8)
	VMOVSS X1, 4(R8)
	VMOVSS X2, 8(R8)
	VMOVSS X3, 12(R8)
	VMOVSS X4, 16(R8)
	VMOVSS X5, 20(R8)
	VMOVSS X6, 24(R8)
	VMOVSS X7, 28(R8)
	VZEROUPPER
	RET

#define ROWSTEPH(off, acc) \
	VCVTPH2PS (off)(AX*1), Y9; \
	VMULPS Y9, Y8, Y9; \
	VADDPS Y9, acc, acc

// func dot8F16AVX(w *byte, stride int, x *float32, nblk int, out *[8]float32)
// As dot8AVX for eight F16 rows (stride bytes apart) of nblk·8 values:
// VCVTPH2PS converts the halves to float32 exactly, then the same
// multiply, add and reduction tree.
TEXT ·dot8F16AVX(SB), NOSPLIT, $0-40
	MOVQ w+0(FP), SI
	MOVQ stride+8(FP), DX
	MOVQ x+16(FP), DI
	MOVQ nblk+24(FP), BX
	LEAQ (SI)(DX*1), R9
	LEAQ (R9)(DX*1), R10
	LEAQ (R10)(DX*1), R11
	LEAQ (R11)(DX*1), R12
	LEAQ (R12)(DX*1), R13
	LEAQ (R13)(DX*1), R14
	LEAQ (R14)(DX*1), R15
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ AX, AX // offset in the rows (halves)
	// R8: the next block of eight rows, prefetched while this one runs
	// (8·stride bytes over the loop: 128 bytes per 16-byte step).
	LEAQ (R15)(DX*1), R8
	TESTQ BX, BX
	JEQ h8reduce

h8loop:
	PREFETCHT0 (R8)(AX*8)
	PREFETCHT0 64(R8)(AX*8)
	VMOVUPS (DI)(AX*2), Y8
	ROWSTEPH(SI, Y0)
	ROWSTEPH(R9, Y1)
	ROWSTEPH(R10, Y2)
	ROWSTEPH(R11, Y3)
	ROWSTEPH(R12, Y4)
	ROWSTEPH(R13, Y5)
	ROWSTEPH(R14, Y6)
	ROWSTEPH(R15, Y7)
	ADDQ $16, AX
	DECQ BX
	JNZ h8loop

h8reduce:
	REDUCE(Y0, X0)
	REDUCE(Y1, X1)
	REDUCE(Y2, X2)
	REDUCE(Y3, X3)
	REDUCE(Y4, X4)
	REDUCE(Y5, X5)
	REDUCE(Y6, X6)
	REDUCE(Y7, X7)
	MOVQ out+32(FP), R8
	VMOVSS X0, (R8)
	VMOVSS X1, 4(R8)
	VMOVSS X2, 8(R8)
	VMOVSS X3, 12(R8)
	VMOVSS X4, 16(R8)
	VMOVSS X5, 20(R8)
	VMOVSS X6, 24(R8)
	VMOVSS X7, 28(R8)
	VZEROUPPER
	RET

// HSUM leaves the sum of the eight int32 lanes of Y5 in the low dword of X5.
#define HSUM \
	VEXTRACTI128 $1, Y5, X6; \
	VPADDD X6, X5, X5; \
	VPSHUFD $0x4e, X5, X6; \
	VPADDD X6, X5, X5; \
	VPSHUFD $0xb1, X5, X6; \
	VPADDD X6, X5, X5

// IDOT: Y5 = int32 lane sums of int8 Y0 (weights) times int8 Y1 (activations).
#define IDOT \
	VPSIGNB Y0, Y0, Y2; \
	VPSIGNB Y0, Y1, Y3; \
	VPMADDUBSW Y3, Y2, Y4; \
	VPMADDWD Y7, Y4, Y5

// FACC: s (X10) = s + float32(isum)·(d_w·d_x), d_w the F16 at (SI), d_x at (R9):
// exactly dotQuant's float32 operations in the same order.
#define FACC \
	VCVTDQ2PS X5, X5; \
	MOVWLZX (SI), AX; \
	VMOVD AX, X11; \
	VCVTPH2PS X11, X11; \
	VMULSS (R9), X11, X11; \
	VMULSS X11, X5, X5; \
	VADDSS X5, X10, X10

// func q8DotAVX2(row *byte, xq *int8, xd *float32, nb int) float32
TEXT ·q8DotAVX2(SB), NOSPLIT, $0-36
	MOVQ row+0(FP), SI
	MOVQ xq+8(FP), DI
	MOVQ xd+16(FP), R9
	MOVQ nb+24(FP), CX
	VPCMPEQW Y7, Y7, Y7
	VPSRLW $15, Y7, Y7
	VXORPS X10, X10, X10
	TESTQ CX, CX
	JEQ qd8done

qd8loop:
	VMOVDQU 2(SI), Y0
	VMOVDQU (DI), Y1
	IDOT
	HSUM
	FACC
	ADDQ $34, SI
	ADDQ $32, DI
	ADDQ $4, R9
	DECQ CX
	JNZ qd8loop

qd8done:
	VMOVSS X10, ret+32(FP)
	VZEROUPPER
	RET

// func q4DotAVX2(row *byte, xq *int8, xd *float32, nb int) float32
TEXT ·q4DotAVX2(SB), NOSPLIT, $0-36
	MOVQ row+0(FP), SI
	MOVQ xq+8(FP), DI
	MOVQ xd+16(FP), R9
	MOVQ nb+24(FP), CX
	VPCMPEQW Y7, Y7, Y7
	VPSRLW $15, Y7, Y7
	VMOVDQU nib0F<>(SB), Y8
	VMOVDQU nib08<>(SB), Y9
	VXORPS X10, X10, X10
	TESTQ CX, CX
	JEQ qd4done

qd4loop:
	VMOVDQU 2(SI), X0
	VPSRLW $4, X0, X1
	VINSERTI128 $1, X1, Y0, Y0
	VPAND Y8, Y0, Y0
	VPSUBB Y9, Y0, Y0
	VMOVDQU (DI), Y1
	IDOT
	HSUM
	FACC
	ADDQ $18, SI
	ADDQ $32, DI
	ADDQ $4, R9
	DECQ CX
	JNZ qd4loop

qd4done:
	VMOVSS X10, ret+32(FP)
	VZEROUPPER
	RET

// func axpyAVX(a float32, v *float32, out *float32, nblk int)
// out[i] = out[i] + float32(a·v[i]) for i < 8·nblk: a rounded product, then
// an add, per element (no fused multiply-add), as the portable axpy.
TEXT ·axpyAVX(SB), NOSPLIT, $0-32
	VBROADCASTSS a+0(FP), Y0
	MOVQ v+8(FP), SI
	MOVQ out+16(FP), DI
	MOVQ nblk+24(FP), CX
	TESTQ CX, CX
	JEQ axdone

axloop:
	VMULPS (SI), Y0, Y1
	VADDPS (DI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ axloop

axdone:
	VZEROUPPER
	RET

#define W2STEP(off, acc0, acc1) \
	VMOVUPS (off)(AX*1), Y10; \
	VMULPS Y10, Y8, Y11; \
	VADDPS Y11, acc0, acc0; \
	VMULPS Y10, Y9, Y11; \
	VADDPS Y11, acc1, acc1

// func dot4x2AVX(w *float32, stride int, x0, x1 *float32, nblk int, out *[8]float32)
// out[2r+c] = the exact dot product (dotF32) of row r (w + r·stride bytes)
// with x_c, for four rows and two activation vectors of 8·nblk values: each
// weight load serves two products, each accumulator is one (row, vector)
// pair with dotF32's lanes, then the fixed reduction tree.
TEXT ·dot4x2AVX(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), SI
	MOVQ stride+8(FP), DX
	MOVQ x0+16(FP), DI
	MOVQ x1+24(FP), R8
	MOVQ nblk+32(FP), CX
	LEAQ (SI)(DX*1), R9
	LEAQ (R9)(DX*1), R10
	LEAQ (R10)(DX*1), R11
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ AX, AX
	TESTQ CX, CX
	JEQ w2reduce

w2loop:
	VMOVUPS (DI)(AX*1), Y8
	VMOVUPS (R8)(AX*1), Y9
	W2STEP(SI, Y0, Y1)
	W2STEP(R9, Y2, Y3)
	W2STEP(R10, Y4, Y5)
	W2STEP(R11, Y6, Y7)
	ADDQ $32, AX
	DECQ CX
	JNZ w2loop

w2reduce:
	REDUCE(Y0, X0)
	REDUCE(Y1, X1)
	REDUCE(Y2, X2)
	REDUCE(Y3, X3)
	REDUCE(Y4, X4)
	REDUCE(Y5, X5)
	REDUCE(Y6, X6)
	REDUCE(Y7, X7)
	MOVQ out+40(FP), R8
	VMOVSS X0, (R8)
	VMOVSS X1, 4(R8)
	VMOVSS X2, 8(R8)
	VMOVSS X3, 12(R8)
	VMOVSS X4, 16(R8)
	VMOVSS X5, 20(R8)
	VMOVSS X6, 24(R8)
	VMOVSS X7, 28(R8)
	VZEROUPPER
	RET
