# Two commands do everything on a fresh clone: `make run` and `make test`.
# Leave PYTHON empty to let bin/find-python choose (PATH first, then pyenv's versions).
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
# The settings default to production behaviour; every target here is for development.
DEBUG ?= true
export DEBUG

.PHONY: run test lint format migrate demo setup bench bench-load e2e backup restore clean help

help:
	@echo "make run    — cài đặt, tạo CSDL, nạp dữ liệu mẫu và chạy trang ở http://127.0.0.1:8000"
	@echo "make test   — cài đặt rồi chạy toàn bộ bộ kiểm thử"
	@echo "make lint   — kiểm tra mã nguồn bằng ruff"
	@echo "make bench  — đo tốc độ (nhập Excel, ..., và đo tải bằng gunicorn trên PostgreSQL)"
	@echo "make bench-load — chỉ đo tải (gunicorn, PostgreSQL trong BENCH_PG_URL; dưới 3 phút)"
	@echo "make backup — sao lưu CSDL và tệp tải lên vào var/backups/<thời điểm>/ (BACKUP_DIR=...)"
	@echo "make restore BACKUP=thư-mục — khôi phục từ một bản sao lưu (hỏi xác nhận)"

$(STAMP): pyproject.toml
	@py="$(PYTHON)"; [ -n "$$py" ] || py=$$(bin/find-python) || exit 1; \
	echo "Tạo môi trường ảo $(VENV) bằng $$py"; "$$py" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var
	@ldconfig -p 2>/dev/null | grep -q libpangoft2 && ldconfig -p | grep -q libcairo.so && command -v pdftotext >/dev/null || \
	  echo "Cần cài thêm để in PDF và chạy kiểm thử: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libcairo2 poppler-utils"
	$(MANAGE) migrate --no-input -v 0

migrate: setup

demo: setup
	$(MANAGE) load_demo_data

run: demo
	@echo ""
	@echo "Trang công khai: http://127.0.0.1:8000/   Quản trị: http://127.0.0.1:8000/admin/"
	@echo "Tài khoản mẫu (mật khẩu khuyenhoc-demo): admin, lanhdao, huyen, xa1, xa2, bientap"
	@echo "Tác vụ nền (nhập Excel lớn) chạy cùng máy chủ; Ctrl+C dừng cả hai."
	@echo ""
	@$(MANAGE) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

e2e: setup
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The province-scale data set (1,000,000 registrations) is built once into its own database.
BENCH_DATABASE_URL ?= sqlite:///var/bench-province.sqlite3

bench: setup
	$(MANAGE) run_benchmarks
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate --no-input -v 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) bench_province $(BENCH_ARGS)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) bench_dashboards
	$(MAKE) --no-print-directory bench-load

# The load benchmark creates this database with the demo data when it is missing (keeps it
# between runs; BENCH_LOAD_ARGS=--fresh drops and rebuilds it), then runs gunicorn as in
# production against it. It must be PostgreSQL, hold nothing else and have "bench" in its name.
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/khuyenhoc_bench_load

bench-load: setup
	DATABASE_URL=$(BENCH_PG_URL) $(MANAGE) bench_load $(BENCH_LOAD_ARGS)

# Database and uploaded files into one dated folder under BACKUP_DIR (var/backups by default).
# Not after `setup`: a backup must not migrate the database it is about to copy.
backup: $(STAMP)
	$(MANAGE) backup_site $(if $(BACKUP_DIR),--dir "$(BACKUP_DIR)")

# Asks before replacing anything; NO_INPUT=1 for scripts. Stop the servers and the worker first.
restore: $(STAMP)
	@[ -n "$(BACKUP)" ] || { echo "Hãy chọn bản sao lưu: make restore BACKUP=var/backups/<thời điểm>"; exit 2; }
	$(MANAGE) restore_site "$(BACKUP)" $(if $(NO_INPUT),--no-input)

clean:
	rm -rf $(VENV) var/db.sqlite3* var/media var/staticfiles
