// SPDX-License-Identifier: GPL-2.0
#include "analysis/report.h"

int main(int argc, char **argv)
{
	return report_cli(argc, argv);
}
