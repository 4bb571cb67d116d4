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
