# serverless-lb: Terraform configuration for load balancer "iap-lb" in project "demo-project".
# Secrets are not in this file: set the sensitive variables below from their files or environment.

terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

variable "project" {
  description = "Google Cloud project that holds the load balancer"
  type        = string
  default     = "demo-project"
}

variable "iap_client_secret" {
  description = "IAP OAuth client secret. Set it without writing it down: export TF_VAR_iap_client_secret=\"$IAP_CLIENT_SECRET\""
  type        = string
  sensitive   = true
}

provider "google" {
  project = var.project
}

# The project, for its number (service agents are named by it).
data "google_project" "this" {
  project_id = var.project
}

# external IP address of the load balancer
resource "google_compute_global_address" "iap_lb_ip" {
  name         = "iap-lb-ip"
  description  = "[serverless-lb:iap-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "iap-lb"
  }
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "iap_lb_cert" {
  name        = "iap-lb-cert"
  description = "[serverless-lb:iap-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["www.example.com", "admin.example.com"]
  }
}

# serverless NEG in europe-west1 for backend web: Cloud Run service web
resource "google_compute_region_network_endpoint_group" "iap_lb_web_neg_europe_west1" {
  name                  = "iap-lb-web-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:iap-lb] serverless NEG in europe-west1 for backend web: Cloud Run service web"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
  }
}

# serverless NEG in europe-west1 for backend admin: Cloud Run service admin
resource "google_compute_region_network_endpoint_group" "iap_lb_admin_neg_europe_west1" {
  name                  = "iap-lb-admin-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:iap-lb] serverless NEG in europe-west1 for backend admin: Cloud Run service admin"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "admin"
  }
}

# backend service for backend web
resource "google_compute_backend_service" "iap_lb_web_bs" {
  name                  = "iap-lb-web-bs"
  description           = "[serverless-lb:iap-lb] backend service for backend web"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.iap_lb_web_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# backend service for backend admin
resource "google_compute_backend_service" "iap_lb_admin_bs" {
  name                  = "iap-lb-admin-bs"
  description           = "[serverless-lb:iap-lb] backend service for backend admin"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.iap_lb_admin_neg_europe_west1.id
  }

  iap {
    enabled              = true
    oauth2_client_id     = "123456789012-abcdefghijklmnop.apps.googleusercontent.com"
    oauth2_client_secret = var.iap_client_secret
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "iap_lb_urlmap" {
  name            = "iap-lb-urlmap"
  description     = "[serverless-lb:iap-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.iap_lb_web_bs.id

  host_rule {
    hosts        = ["admin.example.com"]
    path_matcher = "hosts-1"
  }

  path_matcher {
    name            = "hosts-1"
    default_service = google_compute_backend_service.iap_lb_admin_bs.id
  }
}

# URL map that redirects HTTP to HTTPS
resource "google_compute_url_map" "iap_lb_redirect_urlmap" {
  name        = "iap-lb-redirect-urlmap"
  description = "[serverless-lb:iap-lb] URL map that redirects HTTP to HTTPS"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "iap_lb_https_proxy" {
  name             = "iap-lb-https-proxy"
  description      = "[serverless-lb:iap-lb] HTTPS proxy: terminates TLS"
  url_map          = google_compute_url_map.iap_lb_urlmap.id
  ssl_certificates = [google_compute_managed_ssl_certificate.iap_lb_cert.id]
}

# HTTP proxy that redirects to HTTPS
resource "google_compute_target_http_proxy" "iap_lb_http_proxy" {
  name        = "iap-lb-http-proxy"
  description = "[serverless-lb:iap-lb] HTTP proxy that redirects to HTTPS"
  url_map     = google_compute_url_map.iap_lb_redirect_urlmap.id
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "iap_lb_https_fr" {
  name                  = "iap-lb-https-fr"
  description           = "[serverless-lb:iap-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.iap_lb_ip.id
  target                = google_compute_target_https_proxy.iap_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "iap-lb"
  }
}

# HTTP (redirect) forwarding rule on port 80
resource "google_compute_global_forwarding_rule" "iap_lb_http_fr" {
  name                  = "iap-lb-http-fr"
  description           = "[serverless-lb:iap-lb] HTTP (redirect) forwarding rule on port 80"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "80"
  ip_address            = google_compute_global_address.iap_lb_ip.id
  target                = google_compute_target_http_proxy.iap_lb_http_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "iap-lb"
  }
}

# let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web" {
  project    = var.project
  location   = "europe-west1"
  name       = "web"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.iap_lb_https_fr,
    google_compute_global_forwarding_rule.iap_lb_http_fr,
  ]
}

# let the IAP service agent invoke Cloud Run service admin in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "admin" {
  project    = var.project
  location   = "europe-west1"
  name       = "admin"
  role       = "roles/run.invoker"
  member     = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-iap.iam.gserviceaccount.com"
  depends_on = [
    google_compute_global_forwarding_rule.iap_lb_https_fr,
    google_compute_global_forwarding_rule.iap_lb_http_fr,
  ]
}

# Cloud Run service web (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project

# Cloud Run service admin (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service admin in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update admin --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project
