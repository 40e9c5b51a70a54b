/* Writes progressive.jpg (YCbCr, progressive) and cmyk.jpg (Adobe CMYK, baseline), 64 x 32
 * pixel gradients, the two JPEG variants Go's encoder cannot write. Built with libjpeg:
 *   cc make_jpegs.c -ljpeg -o /tmp/make_jpegs && /tmp/make_jpegs */
#include <stdio.h>
#include <jpeglib.h>

static void write(const char *path, int cmyk) {
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char row[64 * 4];
	FILE *f = fopen(path, "wb");
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, f);
	c.image_width = 64;
	c.image_height = 32;
	c.input_components = cmyk ? 4 : 3;
	c.in_color_space = cmyk ? JCS_CMYK : JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 90, TRUE);
	if (!cmyk)
		jpeg_simple_progression(&c);
	jpeg_start_compress(&c, TRUE);
	for (int y = 0; y < 32; y++) {
		for (int x = 0; x < 64; x++) {
			unsigned char *p = row + x * c.input_components;
			p[0] = x * 4, p[1] = y * 8, p[2] = 255 - x * 4;
			if (cmyk)
				p[3] = 255 - y * 4; /* Adobe CMYK is stored inverted: 255 is no ink */
		}
		JSAMPROW r = row;
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	fclose(f);
}

int main(void) {
	write("progressive.jpg", 0);
	write("cmyk.jpg", 1);
	return 0;
}
