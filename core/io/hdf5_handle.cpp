#include "core/io/hdf5_handle.hpp"

#include <algorithm>

#include <sys/stat.h>

#include "core/error.hpp"

namespace spikegraph::hdf5 {

namespace {
// HDF5 prints its error stack on failure unless told not to; we report errors ourselves.
void silence_library() {
    static const bool silenced = [] {
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        return true;
    }();
    (void)silenced;
}

// Attributes are read into one value: an attribute holding several (an array written by
// another program, or a damaged header) would overflow it, so it counts as unreadable.
Handle open_single_attribute(hid_t object, const std::string& name) {
    Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!attribute.valid()) return attribute;
    Handle space(H5Aget_space(attribute.get()), H5Sclose);
    if (!space.valid() || H5Sget_simple_extent_npoints(space.get()) != 1) return Handle();
    return attribute;
}
} // namespace

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        if (id_ >= 0 && closer_) closer_(id_);
        id_ = other.id_;
        closer_ = other.closer_;
        other.id_ = -1;
    }
    return *this;
}

Handle::~Handle() {
    if (id_ >= 0 && closer_) closer_(id_);
}

File::File(const std::string& path, Mode mode) : path_(path) {
    silence_library();
    struct stat info {};
    const bool exists = ::stat(path.c_str(), &info) == 0;
    hid_t id = -1;
    if (mode == Mode::read) {
        if (!exists) throw Error(ErrorCode::io, "'" + path + "' does not exist");
        const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
        if (is_hdf5 == 0) throw Error(ErrorCode::io, "'" + path + "' is not an HDF5 file");
        if (is_hdf5 < 0) throw Error(ErrorCode::io, "cannot read '" + path + "' (permissions, or a damaged file)");
        id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        if (id < 0) throw Error(ErrorCode::io, "cannot open '" + path + "': the file is damaged or truncated");
    } else if (mode == Mode::append && exists) {
        const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
        if (is_hdf5 == 0) throw Error(ErrorCode::io, "'" + path + "' exists but is not an HDF5 file; refusing to overwrite it");
        if (is_hdf5 < 0) throw Error(ErrorCode::io, "cannot read '" + path + "' (check its permissions)");
        id = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        if (id < 0)
            throw Error(ErrorCode::io, "cannot open '" + path + "' for writing (read-only, damaged, or open in another program?)");
    } else {
        // A new file is created exclusively: nothing that appeared meanwhile is ever truncated.
        id = H5Fcreate(path.c_str(), mode == Mode::append ? H5F_ACC_EXCL : H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        if (id < 0) throw Error(ErrorCode::io, "cannot create '" + path + "' (check the folder exists and is writable)");
    }
    file_ = Handle(id, H5Fclose);
}

void File::fail(std::string_view what) const {
    throw Error(ErrorCode::io, "HDF5 file '" + path_ + "': " + std::string(what));
}

void File::flush() const {
    if (H5Fflush(file_.get(), H5F_SCOPE_GLOBAL) < 0) fail("flush failed (disk full?)");
}

Handle File::create_group(hid_t parent, std::string_view name) const {
    const std::string n(name);
    hid_t id = H5Gcreate2(parent, n.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (id < 0) fail("cannot create group '" + n + "'");
    return Handle(id, H5Gclose);
}

std::vector<std::string> File::children(hid_t group) const {
    std::vector<std::string> names;
    const std::uint64_t count = members(group);
    for (std::uint64_t i = 0; i < count; ++i) {
        const ssize_t size = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (size < 0) fail("cannot list a group's members");
        std::string name(static_cast<std::size_t>(size) + 1, '\0');
        if (H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT) < 0)
            fail("cannot list a group's members");
        name.resize(static_cast<std::size_t>(size));
        names.push_back(std::move(name));
    }
    return names;
}

Handle File::open_group(hid_t parent, std::string_view name) const {
    const std::string n(name);
    hid_t id = H5Gopen2(parent, n.c_str(), H5P_DEFAULT);
    if (id < 0) fail("cannot open group '" + n + "' (missing or damaged)");
    return Handle(id, H5Gclose);
}

void File::copy_from(const File& from, hid_t from_parent, std::string_view name, hid_t to_parent,
                     std::string_view to_name) const {
    const std::string n(name), to(to_name);
    if (H5Ocopy(from_parent, n.c_str(), to_parent, to.c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
        fail("cannot copy '" + n + "' from '" + from.path() + "' (damaged source?)");
}

bool File::exists(hid_t parent, std::string_view name) const {
    const std::string n(name);
    return H5Lexists(parent, n.c_str(), H5P_DEFAULT) > 0;
}

void File::remove(hid_t parent, std::string_view name) const {
    const std::string n(name);
    if (H5Ldelete(parent, n.c_str(), H5P_DEFAULT) < 0) fail("cannot remove '" + n + "'");
}

void File::move(hid_t parent, std::string_view from, std::string_view to) const {
    const std::string a(from), b(to);
    if (H5Lmove(parent, a.c_str(), parent, b.c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
        fail("cannot rename '" + a + "' to '" + b + "'");
}

std::uint64_t File::members(hid_t group) const {
    H5G_info_t info{};
    if (H5Gget_info(group, &info) < 0) fail("cannot list a group");
    return info.nlinks;
}

bool File::has_attribute(hid_t object, std::string_view name) const {
    const std::string n(name);
    return H5Aexists(object, n.c_str()) > 0;
}

std::string File::string_attribute(hid_t object, std::string_view name) const {
    const std::string n(name);
    Handle attribute = open_single_attribute(object, n);
    if (!attribute.valid()) fail("cannot read attribute '" + n + "'");
    Handle type(H5Aget_type(attribute.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) return "";
    if (H5Tis_variable_str(type.get()) > 0) {
        Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(memory.get(), H5T_VARIABLE);
        H5Tset_cset(memory.get(), H5Tget_cset(type.get())); // HDF5 converts no character sets
        char* text = nullptr;
        if (H5Aread(attribute.get(), memory.get(), &text) < 0 || text == nullptr) return "";
        std::string value(text);
        Handle space(H5Aget_space(attribute.get()), H5Sclose);
        H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, &text);
        return value;
    }
    std::string value(H5Tget_size(type.get()), '\0');
    if (H5Aread(attribute.get(), type.get(), value.data()) < 0) return "";
    return value.substr(0, value.find('\0'));
}

std::int64_t File::int_attribute(hid_t object, std::string_view name) const {
    const std::string n(name);
    Handle attribute = open_single_attribute(object, n);
    std::int64_t value = 0;
    if (!attribute.valid() || H5Aread(attribute.get(), H5T_NATIVE_INT64, &value) < 0) fail("cannot read attribute '" + n + "'");
    return value;
}

template <class T>
void File::write_raw(hid_t parent, std::string_view name, const T* data, hid_t type,
                     const std::vector<hsize_t>& shape) const {
    const std::string n(name);
    Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose);
    if (!space.valid()) fail("cannot describe the shape of '" + n + "'");
    hsize_t elements = 1;
    for (hsize_t extent : shape) elements *= extent;
    // Chunked and compressed once a dataset is large enough for it to pay.
    Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    if (elements >= 4096) {
        std::vector<hsize_t> chunk = shape;
        hsize_t chunk_elements = 1;
        for (std::size_t d = chunk.size(); d-- > 0;) {
            chunk[d] = std::max<hsize_t>(1, std::min<hsize_t>(chunk[d], std::max<hsize_t>(1, 65536 / chunk_elements)));
            chunk_elements *= chunk[d];
        }
        H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data());
        H5Pset_shuffle(properties.get());
        H5Pset_deflate(properties.get(), 4);
    }
    Handle set(H5Dcreate2(parent, n.c_str(), type, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT), H5Dclose);
    if (!set.valid()) fail("cannot create dataset '" + n + "'");
    if (elements > 0 && H5Dwrite(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        fail("cannot write dataset '" + n + "' (disk full?)");
}

void File::write(hid_t parent, std::string_view name, const std::vector<double>& data,
                 const std::vector<hsize_t>& shape) const {
    write_raw(parent, name, data.data(), H5T_NATIVE_DOUBLE, shape);
}

void File::write(hid_t parent, std::string_view name, const std::vector<std::uint32_t>& data) const {
    write_raw(parent, name, data.data(), H5T_NATIVE_UINT32, {static_cast<hsize_t>(data.size())});
}

std::vector<hsize_t> File::shape(hid_t parent, std::string_view name) const {
    const std::string n(name);
    Handle set(H5Dopen2(parent, n.c_str(), H5P_DEFAULT), H5Dclose);
    if (!set.valid()) fail("cannot open dataset '" + n + "' (missing or damaged)");
    Handle space(H5Dget_space(set.get()), H5Sclose);
    const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank < 0 || rank > 8) fail("dataset '" + n + "' has a damaged shape");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0) fail("dataset '" + n + "' has a damaged shape");
    return dims;
}

template <class T>
std::vector<T> File::read_raw(hid_t parent, std::string_view name, hid_t type) const {
    const std::string n(name);
    const hsize_t most = hsize_t{1} << 34;
    hsize_t count = 1;
    for (hsize_t d : shape(parent, name)) {
        if (d != 0 && count > most / d) fail("dataset '" + n + "' claims more than " + std::to_string(most) + " elements");
        count *= d;
    }
    Handle set(H5Dopen2(parent, n.c_str(), H5P_DEFAULT), H5Dclose);
    if (!set.valid()) fail("cannot open dataset '" + n + "' (missing or damaged)");
    // A shape is only a claim, which a damaged file or a dataset never written can make: it must
    // not be allocated before the read fails. Every element takes at least a byte of the file,
    // which deflate (the only filter spikegraph writes) shrinks at most about 1032 times.
    hsize_t file_size = 0;
    H5Fget_filesize(file_.get(), &file_size);
    const hsize_t stored = std::min<hsize_t>(H5Dget_storage_size(set.get()), file_size);
    if (count > stored * 1100)
        fail("dataset '" + n + "' claims " + std::to_string(count) + " elements but stores " + std::to_string(stored) +
             " bytes (damaged, or never written)");
    std::vector<T> values(static_cast<std::size_t>(count));
    if (count > 0 && H5Dread(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
        fail("cannot read dataset '" + n + "' (damaged, truncated or of another type)");
    return values;
}

std::vector<double> File::read_doubles(hid_t parent, std::string_view name) const {
    return read_raw<double>(parent, name, H5T_NATIVE_DOUBLE);
}

std::vector<std::uint32_t> File::read_uint32(hid_t parent, std::string_view name) const {
    return read_raw<std::uint32_t>(parent, name, H5T_NATIVE_UINT32);
}

double File::double_attribute(hid_t object, std::string_view name) const {
    const std::string n(name);
    Handle attribute = open_single_attribute(object, n);
    double value = 0.0;
    if (!attribute.valid() || H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0) fail("cannot read attribute '" + n + "'");
    return value;
}

void File::put_attribute(hid_t object, std::string_view name, hid_t type, const void* value) const {
    const std::string n(name);
    if (H5Aexists(object, n.c_str()) > 0) H5Adelete(object, n.c_str());
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attribute(H5Acreate2(object, n.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!attribute.valid() || H5Awrite(attribute.get(), type, value) < 0) fail("cannot write attribute '" + n + "'");
}

void File::attribute(hid_t object, std::string_view name, double value) const {
    put_attribute(object, name, H5T_NATIVE_DOUBLE, &value);
}
void File::attribute(hid_t object, std::string_view name, std::int64_t value) const {
    put_attribute(object, name, H5T_NATIVE_INT64, &value);
}
void File::attribute(hid_t object, std::string_view name, std::uint64_t value) const {
    put_attribute(object, name, H5T_NATIVE_UINT64, &value);
}
void File::attribute(hid_t object, std::string_view name, std::string_view value) const {
    // Variable-length UTF-8: h5py reads it back as a Python str.
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    const std::string text(value);
    const char* pointer = text.c_str();
    put_attribute(object, name, type.get(), &pointer);
}

} // namespace spikegraph::hdf5
