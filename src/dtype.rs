//! Element types, their names, type promotion and safe casting.
//!
//! The numeric codes match `CP_F32`.. in `cpp/include/corepy_kernels.h` (they index the kernel
//! tables). Promotion follows the Python array API standard's tables (2025.12) and, where the
//! standard is silent (uint64 with a signed integer, integers with floats or complex, bool with
//! numbers), NumPy 2's `np.promote_types`. `can_cast` is NumPy's `np.can_cast(from, to)` with its
//! default `casting="safe"`.

use crate::error::{CoreError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum DType {
    F32 = 0,
    F64 = 1,
    I32 = 2,
    I64 = 3,
    Bool = 4,
    I8 = 5,
    I16 = 6,
    U8 = 7,
    U16 = 8,
    U32 = 9,
    U64 = 10,
    /// Two float32 (real, imaginary), 8 bytes, aligned like float32.
    C64 = 11,
    /// Two float64 (real, imaginary), 16 bytes, aligned like float64.
    C128 = 12,
}

/// The kind of a dtype: NumPy's `dtype.kind` ('b', 'i', 'u', 'f', 'c').
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Bool,
    SignedInt,
    UnsignedInt,
    /// Real floating point.
    Float,
    Complex,
}

impl Kind {
    /// NumPy's one-letter `dtype.kind`.
    pub fn char(self) -> char {
        match self {
            Kind::Bool => 'b',
            Kind::SignedInt => 'i',
            Kind::UnsignedInt => 'u',
            Kind::Float => 'f',
            Kind::Complex => 'c',
        }
    }
}

/// Every accepted spelling of each dtype, for error messages.
const NAMES: &str = "bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, \
                     float64, complex64, complex128";

impl DType {
    /// Every dtype, in code order (`ALL[d.code()] == d`).
    pub const ALL: [DType; 13] = [
        DType::F32,
        DType::F64,
        DType::I32,
        DType::I64,
        DType::Bool,
        DType::I8,
        DType::I16,
        DType::U8,
        DType::U16,
        DType::U32,
        DType::U64,
        DType::C64,
        DType::C128,
    ];

    /// The kernel-table index (`CP_*` in the C header).
    pub fn code(self) -> usize {
        self as usize
    }

    /// The dtype with kernel-table index `code`.
    pub fn from_code(code: usize) -> Option<DType> {
        DType::ALL.get(code).copied()
    }

    pub fn itemsize(self) -> usize {
        match self {
            DType::Bool | DType::I8 | DType::U8 => 1,
            DType::I16 | DType::U16 => 2,
            DType::F32 | DType::I32 | DType::U32 => 4,
            DType::F64 | DType::I64 | DType::U64 | DType::C64 => 8,
            DType::C128 => 16,
        }
    }

    /// Bits per element (8 for bool).
    pub fn bits(self) -> usize {
        8 * self.itemsize()
    }

    /// The NumPy name, which is also the Python-visible `Tensor.dtype`.
    pub fn name(self) -> &'static str {
        match self {
            DType::F32 => "float32",
            DType::F64 => "float64",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::Bool => "bool",
            DType::I8 => "int8",
            DType::I16 => "int16",
            DType::U8 => "uint8",
            DType::U16 => "uint16",
            DType::U32 => "uint32",
            DType::U64 => "uint64",
            DType::C64 => "complex64",
            DType::C128 => "complex128",
        }
    }

    /// NumPy's one-letter type code on 64-bit Linux (`np.dtype(name).char`; int64 is 'l').
    pub fn char_code(self) -> char {
        match self {
            DType::F32 => 'f',
            DType::F64 => 'd',
            DType::I32 => 'i',
            DType::I64 => 'l',
            DType::Bool => '?',
            DType::I8 => 'b',
            DType::I16 => 'h',
            DType::U8 => 'B',
            DType::U16 => 'H',
            DType::U32 => 'I',
            DType::U64 => 'L',
            DType::C64 => 'F',
            DType::C128 => 'D',
        }
    }

    /// NumPy's array-protocol type string without byte order: "f4", "u1", "c16", "b1".
    pub fn typestr(self) -> String {
        format!("{}{}", self.kind().char(), self.itemsize())
    }

    pub fn kind(self) -> Kind {
        match self {
            DType::Bool => Kind::Bool,
            DType::I8 | DType::I16 | DType::I32 | DType::I64 => Kind::SignedInt,
            DType::U8 | DType::U16 | DType::U32 | DType::U64 => Kind::UnsignedInt,
            DType::F32 | DType::F64 => Kind::Float,
            DType::C64 | DType::C128 => Kind::Complex,
        }
    }

    pub fn is_bool(self) -> bool {
        self == DType::Bool
    }

    /// Real floating point (float32, float64); complex dtypes are not.
    pub fn is_float(self) -> bool {
        self.kind() == Kind::Float
    }

    pub fn is_complex(self) -> bool {
        self.kind() == Kind::Complex
    }

    /// Real or complex floating point (the array API's "floating" kinds together).
    pub fn is_inexact(self) -> bool {
        self.is_float() || self.is_complex()
    }

    /// Any integer, signed or unsigned (not bool).
    pub fn is_int(self) -> bool {
        self.is_signed_int() || self.is_unsigned()
    }

    pub fn is_signed_int(self) -> bool {
        self.kind() == Kind::SignedInt
    }

    /// Unsigned integer (not bool).
    pub fn is_unsigned(self) -> bool {
        self.kind() == Kind::UnsignedInt
    }

    /// Every dtype but bool (the array API's "numeric").
    pub fn is_numeric(self) -> bool {
        self != DType::Bool
    }

    /// The array API's `isdtype(dtype, kind)` for one kind name: "bool", "signed integer",
    /// "unsigned integer", "integral", "real floating", "complex floating", "numeric". An unknown
    /// name is a ValueError.
    pub fn is_kind(self, kind: &str) -> Result<bool> {
        Ok(match kind {
            "bool" => self.is_bool(),
            "signed integer" => self.is_signed_int(),
            "unsigned integer" => self.is_unsigned(),
            "integral" => self.is_int(),
            "real floating" => self.is_float(),
            "complex floating" => self.is_complex(),
            "numeric" => self.is_numeric(),
            other => {
                return Err(CoreError::value(format!(
                    "unknown dtype kind {other:?}: expected one of 'bool', 'signed integer', \
                     'unsigned integer', 'integral', 'real floating', 'complex floating', 'numeric'"
                )))
            }
        })
    }

    /// The real dtype of a complex one (complex64 -> float32, complex128 -> float64); any other
    /// dtype is its own real dtype (as NumPy's `.real` of a real array).
    pub fn real_of(self) -> DType {
        match self {
            DType::C64 => DType::F32,
            DType::C128 => DType::F64,
            other => other,
        }
    }

    /// The smallest complex dtype that holds this one's values safely (`promote(self, complex64)`):
    /// float32 -> complex64, float64 -> complex128, complex -> itself, bool and 8/16-bit integers
    /// -> complex64, 32/64-bit integers -> complex128.
    pub fn complex_of(self) -> DType {
        promote(self, DType::C64)
    }

    /// A dtype from a NumPy name, type string or one-letter code, as `np.dtype(name)` reads it on
    /// 64-bit Linux ("float32", "f4", "<f4", "f", "single"; "l" and "long" are int64, "L" uint64;
    /// "float" is float64, "complex" complex128, "int" int64, "uint" uint64). Big-endian multi-byte
    /// types (">f4") are refused.
    pub fn from_name(name: &str) -> Result<DType> {
        let code = match name.as_bytes().first() {
            Some(b'<' | b'=' | b'|') => &name[1..],
            Some(b'>') => {
                return match DType::from_plain_name(&name[1..]) {
                    Some(d) if d.itemsize() == 1 => Ok(d),
                    Some(d) => Err(CoreError::type_err(format!(
                        "unsupported dtype {name:?}: big-endian {} is not supported; use \
                         native (little-endian) byte order",
                        d.name()
                    ))),
                    None => Err(unknown(name)),
                };
            }
            _ => name,
        };
        DType::from_plain_name(code).ok_or_else(|| unknown(name))
    }

    fn from_plain_name(name: &str) -> Option<DType> {
        Some(match name {
            "bool" | "bool_" | "?" | "b1" => DType::Bool,
            "int8" | "i1" | "b" | "byte" => DType::I8,
            "int16" | "i2" | "h" | "short" => DType::I16,
            "int32" | "i4" | "i" | "intc" => DType::I32,
            "int64" | "i8" | "q" | "l" | "p" | "int" | "long" | "longlong" | "intp" => DType::I64,
            "uint8" | "u1" | "B" | "ubyte" => DType::U8,
            "uint16" | "u2" | "H" | "ushort" => DType::U16,
            "uint32" | "u4" | "I" | "uintc" => DType::U32,
            "uint64" | "u8" | "Q" | "L" | "P" | "uint" | "ulong" | "ulonglong" | "uintp" => {
                DType::U64
            }
            "float32" | "f4" | "f" | "single" => DType::F32,
            "float64" | "f8" | "d" | "float" | "double" => DType::F64,
            "complex64" | "c8" | "F" | "csingle" => DType::C64,
            "complex128" | "c16" | "D" | "complex" | "cdouble" => DType::C128,
            _ => return None,
        })
    }

    /// dtype of a sum over this dtype, as NumPy (and the array API with default dtypes): bool and
    /// signed integers sum in int64, unsigned integers in uint64, floats and complex in themselves.
    /// The integer sum kernels all produce a wrapping 64-bit sum written as int64; for the
    /// unsigned dtypes those are exactly the bits of the wrapping uint64 sum, so the core reads
    /// them back as uint64 (`sum[U64]` also adds uint64 partials).
    pub fn sum_dtype(self) -> DType {
        match self.kind() {
            Kind::Float | Kind::Complex => self,
            Kind::UnsignedInt => DType::U64,
            Kind::Bool | Kind::SignedInt => DType::I64,
        }
    }

    /// dtype of a mean over this dtype: float32 and the complex dtypes keep theirs, everything
    /// else averages in float64 (NumPy).
    pub fn mean_dtype(self) -> DType {
        match self {
            DType::F32 | DType::C64 | DType::C128 => self,
            _ => DType::F64,
        }
    }

    /// Index into the two-entry float tables (dot, gemm), or a TypeError naming the op.
    pub fn float_index(self, op: &str) -> Result<usize> {
        match self {
            DType::F32 => Ok(0),
            DType::F64 => Ok(1),
            other => Err(CoreError::type_err(format!(
                "{op} supports float32 and float64, got {}",
                other.name()
            ))),
        }
    }

    /// The signed integer dtype of `bits` bits (8, 16, 32, 64).
    fn signed_of_bits(bits: usize) -> DType {
        match bits {
            8 => DType::I8,
            16 => DType::I16,
            32 => DType::I32,
            _ => DType::I64,
        }
    }
}

fn unknown(name: &str) -> CoreError {
    CoreError::type_err(format!(
        "unsupported dtype {name:?}: expected one of {NAMES}"
    ))
}

/// The result dtype of a binary operation on arrays of dtypes `a` and `b`.
///
/// Within a kind and across signed/unsigned integers up to 32-bit unsigned, and between real and
/// complex floating point, this is the array API standard's table. Where the standard leaves it
/// open it is NumPy 2's `np.promote_types`: bool with anything gives the other dtype; uint64 with
/// any signed integer gives float64; an integer with float32 (complex64) gives float32
/// (complex64) for 8- and 16-bit integers and float64 (complex128) for 32- and 64-bit ones; an
/// integer with float64 or complex128 gives that dtype. Symmetric; associative within the
/// standard's tables, as it requires, but not across kinds (NumPy's pairwise rules are not
/// either: (uint16 + int8) + float32 is float64, uint16 + (int8 + float32) is float32).
pub fn promote(a: DType, b: DType) -> DType {
    use Kind::*;
    if a == b {
        return a;
    }
    // Order the pair so that the match below only needs one arm per unordered kind pair.
    let (a, b) = if (a.kind() as u8) <= (b.kind() as u8) {
        (a, b)
    } else {
        (b, a)
    };
    let wider = |x: DType, y: DType| if x.itemsize() >= y.itemsize() { x } else { y };
    match (a.kind(), b.kind()) {
        (Bool, _) => b,
        (SignedInt, SignedInt) | (UnsignedInt, UnsignedInt) => wider(a, b),
        (Float, Float) | (Complex, Complex) => wider(a, b),
        // Mixed signed/unsigned: the smallest signed type that holds both; none holds uint64.
        (SignedInt, UnsignedInt) => {
            if b == DType::U64 {
                DType::F64
            } else {
                DType::signed_of_bits(a.bits().max(2 * b.bits()))
            }
        }
        // Integers with inexact types: float32/complex64 hold 8- and 16-bit integers exactly.
        (SignedInt | UnsignedInt, Float | Complex) => {
            if b.real_of() == DType::F64 || a.itemsize() <= 2 {
                b
            } else if b.is_complex() {
                DType::C128
            } else {
                DType::F64
            }
        }
        // Real with complex: the complex dtype of the wider precision.
        (Float, Complex) => {
            if a == DType::F64 {
                DType::C128
            } else {
                b
            }
        }
        // The pair is ordered by kind, so no other combination reaches here.
        _ => unreachable!("promote: unordered pair {a:?}, {b:?}"),
    }
}

/// `promote` folded over several dtypes (the array API's `result_type` on dtypes); None when empty.
pub fn promote_all(dtypes: &[DType]) -> Option<DType> {
    let (&first, rest) = dtypes.split_first()?;
    Some(rest.iter().fold(first, |acc, &d| promote(acc, d)))
}

/// NumPy's `np.can_cast(from, to)` (casting="safe"): true when every value of `from` is
/// represented in `to` as NumPy judges it (int64 and uint64 go to float64 safely; nothing but bool
/// goes to bool; no signed integer goes to an unsigned one; complex never goes to real).
pub fn can_cast(from: DType, to: DType) -> bool {
    use Kind::*;
    if from == to {
        return true;
    }
    let (fb, tb) = (from.bits(), to.bits());
    match (from.kind(), to.kind()) {
        (Bool, _) => true,
        (_, Bool) => false,
        (SignedInt, SignedInt) | (UnsignedInt, UnsignedInt) => tb >= fb,
        (UnsignedInt, SignedInt) => tb > fb,
        (SignedInt, UnsignedInt) => false,
        (SignedInt | UnsignedInt, Float) => to == DType::F64 || fb <= 16,
        (SignedInt | UnsignedInt, Complex) => to == DType::C128 || fb <= 16,
        (Float, Float) | (Complex, Complex) => tb >= fb,
        (Float, Complex) => tb >= 2 * fb,
        (Float | Complex, SignedInt | UnsignedInt) | (Complex, Float) => false,
    }
}

/// Two operands of one op must share a dtype; the message names both.
pub fn same_dtype(op: &str, a: DType, b: DType) -> Result<DType> {
    if a == b {
        Ok(a)
    } else {
        Err(CoreError::type_err(format!(
            "{op}: mixed dtypes {} and {}; convert one with astype()",
            a.name(),
            b.name()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;

    #[test]
    fn codes_sizes_and_names_round_trip() {
        for (i, d) in DType::ALL.into_iter().enumerate() {
            assert_eq!(d.code(), i);
            assert_eq!(DType::from_code(i), Some(d));
            assert_eq!(DType::from_name(d.name()), Ok(d));
            assert_eq!(DType::from_name(&d.typestr()), Ok(d));
            assert_eq!(DType::from_name(&format!("<{}", d.typestr())), Ok(d));
            assert_eq!(DType::from_name(&d.char_code().to_string()), Ok(d));
            assert_eq!(d.bits(), 8 * d.itemsize());
        }
        assert_eq!(DType::from_code(13), None);
        use crate::ffi;
        let header = [
            ffi::F32,
            ffi::F64,
            ffi::I32,
            ffi::I64,
            ffi::BOOL,
            ffi::I8,
            ffi::I16,
            ffi::U8,
            ffi::U16,
            ffi::U32,
            ffi::U64,
            ffi::C64,
            ffi::C128,
        ];
        assert_eq!(DType::ALL.map(DType::code), header);
        assert_eq!(DType::ALL.len(), ffi::NDTYPES);
        let sizes: Vec<usize> = DType::ALL.iter().map(|d| d.itemsize()).collect();
        assert_eq!(sizes, [4, 8, 4, 8, 1, 1, 2, 1, 2, 4, 8, 8, 16]);
        assert_eq!(C128.typestr(), "c16");
        assert_eq!(Bool.typestr(), "b1");
    }

    #[test]
    fn numpy_spellings_and_char_codes() {
        let cases = [
            ("i1", I8),
            ("b", I8),
            ("u1", U8),
            ("B", U8),
            ("h", I16),
            ("H", U16),
            ("i", I32),
            ("I", U32),
            ("l", I64),
            ("L", U64),
            ("q", I64),
            ("Q", U64),
            ("int", I64),
            ("uint", U64),
            ("F", C64),
            ("D", C128),
            ("c8", C64),
            ("c16", C128),
            ("complex", C128),
            ("complex64", C64),
            ("complex128", C128),
            ("float", F64),
            ("f", F32),
            ("?", Bool),
            ("b1", Bool),
            ("bool_", Bool),
            ("uint8", U8),
            ("uint16", U16),
            ("uint32", U32),
            ("uint64", U64),
            ("int8", I8),
            ("int16", I16),
            ("=i8", I64),
            ("|u1", U8),
            (">u1", U8),
            ("|b1", Bool),
        ];
        for (name, d) in cases {
            assert_eq!(DType::from_name(name), Ok(d), "{name}");
        }
        for bad in ["float16", "f2", "", "int128", ">f4", "S5", "O", "c32", "i3"] {
            let e = DType::from_name(bad).unwrap_err();
            assert!(matches!(e, CoreError::Type(_)), "{bad}");
        }
        let e = DType::from_name(">f8").unwrap_err().to_string();
        assert!(e.contains("big-endian"), "{e}");
        let e = DType::from_name("float16").unwrap_err().to_string();
        assert!(e.contains("complex128") && e.contains("uint8"), "{e}");
    }

    #[test]
    fn predicates_and_kinds() {
        let kinds: String = DType::ALL.iter().map(|d| d.kind().char()).collect();
        assert_eq!(kinds, "ffiibiiuuuucc");
        for d in DType::ALL {
            assert_eq!(d.is_int(), d.is_signed_int() || d.is_unsigned());
            assert_eq!(d.is_numeric(), d.is_int() || d.is_float() || d.is_complex());
            assert_eq!(d.is_inexact(), d.is_float() || d.is_complex());
            assert!(!(d.is_bool() && d.is_numeric()));
            assert_eq!(d.is_kind("integral"), Ok(d.is_int()));
            assert_eq!(d.is_kind("real floating"), Ok(d.is_float()));
            assert_eq!(d.is_kind("complex floating"), Ok(d.is_complex()));
            assert_eq!(d.is_kind("numeric"), Ok(d.is_numeric()));
            assert_eq!(d.is_kind("bool"), Ok(d.is_bool()));
            assert_eq!(d.is_kind("signed integer"), Ok(d.is_signed_int()));
            assert_eq!(d.is_kind("unsigned integer"), Ok(d.is_unsigned()));
        }
        assert!(matches!(F32.is_kind("floating"), Err(CoreError::Value(_))));
        assert!(U8.is_unsigned() && !U8.is_signed_int() && !U8.is_bool());
        assert!(!C64.is_float() && C64.is_complex());
        assert_eq!(
            (C64.real_of(), C128.real_of(), F32.real_of()),
            (F32, F64, F32)
        );
        assert_eq!((F32.complex_of(), F64.complex_of()), (C64, C128));
        assert_eq!(
            (I16.complex_of(), I32.complex_of(), C64.complex_of()),
            (C64, C128, C64)
        );
        assert_eq!(
            (U8.sum_dtype(), I8.sum_dtype(), Bool.sum_dtype()),
            (U64, I64, I64)
        );
        assert_eq!((C64.sum_dtype(), F32.sum_dtype()), (C64, F32));
        assert_eq!(
            (U16.mean_dtype(), C64.mean_dtype(), F32.mean_dtype()),
            (F64, C64, F32)
        );
    }

    /// Row/column order of the hard-coded tables below.
    const ORDER: [DType; 13] = [
        Bool, I8, I16, I32, I64, U8, U16, U32, U64, F32, F64, C64, C128,
    ];

    fn parse(code: &str) -> Option<DType> {
        Some(match code {
            "b" => Bool,
            "i1" => I8,
            "i2" => I16,
            "i4" => I32,
            "i8" => I64,
            "u1" => U8,
            "u2" => U16,
            "u4" => U32,
            "u8" => U64,
            "f4" => F32,
            "f8" => F64,
            "c8" => C64,
            "c16" => C128,
            _ => return None,
        })
    }

    /// The full promotion table, rows and columns in ORDER. Entries the array API standard
    /// (2025.12, "Type Promotion Rules") fixes: its signed, unsigned, mixed signed/unsigned
    /// (i* with u1, u2, u4) and floating-point (f4, f8, c8, c16) tables and bool with bool.
    /// Every other entry is NumPy 2's `np.promote_types` (the whole table checked against NumPy 2.4):
    /// bool + x, u8 + i*, integers with floats and complex.
    #[rustfmt::skip]
    const TABLE: [&str; 13] = [
        // b   i1   i2   i4   i8   u1   u2   u4   u8   f4   f8   c8   c16
        "b    i1   i2   i4   i8   u1   u2   u4   u8   f4   f8   c8   c16", // b
        "i1   i1   i2   i4   i8   i2   i4   i8   f8   f4   f8   c8   c16", // i1
        "i2   i2   i2   i4   i8   i2   i4   i8   f8   f4   f8   c8   c16", // i2
        "i4   i4   i4   i4   i8   i4   i4   i8   f8   f8   f8   c16  c16", // i4
        "i8   i8   i8   i8   i8   i8   i8   i8   f8   f8   f8   c16  c16", // i8
        "u1   i2   i2   i4   i8   u1   u2   u4   u8   f4   f8   c8   c16", // u1
        "u2   i4   i4   i4   i8   u2   u2   u4   u8   f4   f8   c8   c16", // u2
        "u4   i8   i8   i8   i8   u4   u4   u4   u8   f8   f8   c16  c16", // u4
        "u8   f8   f8   f8   f8   u8   u8   u8   u8   f8   f8   c16  c16", // u8
        "f4   f4   f4   f8   f8   f4   f4   f8   f8   f4   f8   c8   c16", // f4
        "f8   f8   f8   f8   f8   f8   f8   f8   f8   f8   f8   c16  c16", // f8
        "c8   c8   c8   c16  c16  c8   c8   c16  c16  c8   c16  c8   c16", // c8
        "c16  c16  c16  c16  c16  c16  c16  c16  c16  c16  c16  c16  c16", // c16
    ];

    /// (row codes, column codes, results row by row).
    type Table = (
        &'static [&'static str],
        &'static [&'static str],
        &'static [&'static [&'static str]],
    );
    /// The standard's own tables, transcribed separately from TABLE (rows x columns -> result):
    /// they must agree with `promote` wherever the standard speaks.
    const STANDARD: &[Table] = &[
        (
            &["i1", "i2", "i4", "i8"],
            &["i1", "i2", "i4", "i8"],
            &[
                &["i1", "i2", "i4", "i8"],
                &["i2", "i2", "i4", "i8"],
                &["i4", "i4", "i4", "i8"],
                &["i8", "i8", "i8", "i8"],
            ],
        ),
        (
            &["u1", "u2", "u4", "u8"],
            &["u1", "u2", "u4", "u8"],
            &[
                &["u1", "u2", "u4", "u8"],
                &["u2", "u2", "u4", "u8"],
                &["u4", "u4", "u4", "u8"],
                &["u8", "u8", "u8", "u8"],
            ],
        ),
        (
            &["i1", "i2", "i4", "i8"],
            &["u1", "u2", "u4"],
            &[
                &["i2", "i4", "i8"],
                &["i2", "i4", "i8"],
                &["i4", "i4", "i8"],
                &["i8", "i8", "i8"],
            ],
        ),
        (
            &["f4", "f8", "c8", "c16"],
            &["f4", "f8", "c8", "c16"],
            &[
                &["f4", "f8", "c8", "c16"],
                &["f8", "f8", "c16", "c16"],
                &["c8", "c16", "c8", "c16"],
                &["c16", "c16", "c16", "c16"],
            ],
        ),
        (&["b"], &["b"], &[&["b"]]),
    ];

    #[test]
    fn promotion_follows_the_array_api_standard_tables() {
        for (rows, cols, results) in STANDARD {
            for (r, row) in rows.iter().zip(results.iter()) {
                for (c, want) in cols.iter().zip(row.iter()) {
                    let (a, b, w) = (parse(r).unwrap(), parse(c).unwrap(), parse(want).unwrap());
                    assert_eq!(promote(a, b), w, "{r} + {c}");
                    assert_eq!(promote(b, a), w, "{c} + {r}");
                }
            }
        }
    }

    #[test]
    fn promotion_matches_the_full_table_and_is_symmetric_and_associative() {
        // Pairs the standard's tables cover (same kind family, not uint64 with a signed int).
        let standard = |a: DType, b: DType| {
            (a.is_bool() && b.is_bool())
                || (a.is_int()
                    && b.is_int()
                    && !(a.is_signed_int() && b == U64)
                    && !(b.is_signed_int() && a == U64))
                || (a.is_inexact() && b.is_inexact())
        };
        for (i, &a) in ORDER.iter().enumerate() {
            for (j, &b) in ORDER.iter().enumerate() {
                let want = parse(TABLE[i].split_whitespace().nth(j).unwrap()).unwrap();
                assert_eq!(promote(a, b), want, "{} + {}", a.name(), b.name());
                assert_eq!(promote(a, b), promote(b, a), "symmetry {a:?} {b:?}");
                for c in ORDER {
                    if !(standard(a, b) && standard(b, c) && standard(a, c)) {
                        continue;
                    }
                    assert_eq!(
                        promote(promote(a, b), c),
                        promote(a, promote(b, c)),
                        "associativity {a:?} {b:?} {c:?}"
                    );
                }
            }
        }
        assert_eq!(promote_all(&[I8, U8, F32]), Some(F32));
        assert_eq!(promote_all(&[Bool]), Some(Bool));
        assert_eq!(promote_all(&[]), None);
        assert_eq!(promote_all(&[U64, I8]), Some(F64));
        // Not associative across kinds, as in NumPy.
        assert_eq!(promote(promote(U16, I8), F32), F64);
        assert_eq!(promote(U16, promote(I8, F32)), F32);
    }

    #[test]
    fn can_cast_is_numpys_safe_casting() {
        let yes = [
            (Bool, I8),
            (Bool, C128),
            (I8, I64),
            (U8, I16),
            (U8, U64),
            (U16, F32),
            (I16, C64),
            (I32, F64),
            (I64, F64),
            (U64, F64),
            (U32, I64),
            (F32, F64),
            (F32, C64),
            (F64, C128),
            (C64, C128),
            (I64, C128),
            (F32, C128),
        ];
        let no = [
            (I8, U8),
            (I64, U64),
            (U8, I8),
            (U64, I64),
            (U32, I32),
            (I32, F32),
            (U32, F32),
            (I32, C64),
            (F64, F32),
            (F32, I32),
            (F64, C64),
            (C64, F32),
            (C128, F64),
            (C128, C64),
            (I8, Bool),
            (F32, Bool),
            (I64, I32),
        ];
        for (a, b) in yes {
            assert!(can_cast(a, b), "{a:?} -> {b:?}");
        }
        for (a, b) in no {
            assert!(!can_cast(a, b), "{a:?} -> {b:?}");
        }
        // For NumPy's builtin numeric types, safe casting is "promotes to the target".
        for a in DType::ALL {
            for b in DType::ALL {
                assert_eq!(can_cast(a, b), promote(a, b) == b, "{a:?} -> {b:?}");
            }
        }
    }
}
